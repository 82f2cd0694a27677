import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { Type, type TInteger, type TObject, type TProperties } from 'typebox';

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
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  requestId: Type.Optional(Type.String()),
});

/**
 * An update body whose `version` may instead come in If-Match (ARCHITECTURE §5). The shared contracts require it in the
 * body, which made If-Match alone a 400 and the service's 428 version_required unreachable.
 */
export function versionOptional<P extends TProperties & { version: TInteger }>(schema: TObject<P>) {
  return Type.Object({ ...schema.properties, version: Type.Optional(schema.properties.version) }, { additionalProperties: false });
}

export const NoContent = Type.Null({ description: 'No content' });
