import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { Type } from 'typebox';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

/** Shape of every error answer, for the OpenAPI document. */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(
    Type.Array(
      Type.Object({
        path: Type.String(),
        message: Type.String(),
        field: Type.Optional(Type.String({ description: 'The document template merge field the error is about' })),
        code: Type.Optional(Type.String({ description: 'A problem code the client translates, with params' })),
        params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
      }),
    ),
  ),
  requestId: Type.Optional(Type.String()),
  currentVersion: Type.Optional(Type.Integer({ description: 'On a version conflict: the version the record has now' })),
  mergedInto: Type.Optional(Type.String({ description: 'On not_found of a merged record: the id of the record it was merged into' })),
});

export const NoContent = Type.Null({ description: 'No content' });
