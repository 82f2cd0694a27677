import { ERROR_CODES, type ErrorCode, type FieldError, type Problem } from '@rapport/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';

const TITLES: Record<ErrorCode, string> = {
  validation: 'The request is not valid',
  bad_cursor: 'Invalid cursor',
  bad_filter: 'Invalid filter',
  unauthenticated: 'Sign in first',
  invalid_credentials: 'Wrong e-mail or password',
  account_locked: 'Account temporarily locked',
  csrf: 'Missing or wrong CSRF token',
  forbidden: 'Not allowed',
  export_limit: 'Over the export row limit',
  not_found: 'Not found',
  conflict: 'Conflict',
  version_conflict: 'Changed by someone else',
  version_required: 'Version required',
  precondition_failed: 'Precondition failed',
  already_set_up: 'Already set up',
  token_invalid: 'Invalid or expired link',
  payload_too_large: 'Request too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  idempotency_conflict: 'Idempotency key reused',
  internal: 'Internal error',
};

export function sendProblem(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, detail?: string, errors?: FieldError[], extra: Pick<Problem, 'currentVersion' | 'mergedInto'> = {}): FastifyReply {
  const status = ERROR_CODES[code];
  const problem: Problem = {
    type: `https://rapport.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[code],
    status,
    code,
    ...(detail ? { detail } : {}),
    instance: request.url.split('?')[0] ?? request.url,
    ...(errors && errors.length > 0 ? { errors } : {}),
    requestId: request.id,
    ...extra,
  };
  return reply.status(status).type('application/problem+json').send(problem);
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv reports the parent for missing and unknown keys; the user wants the field itself, once (the first complaint). */
function toFieldErrors(part: string, issues: ValidationIssue[]): FieldError[] {
  const errors = issues.map((issue) => {
    let path = `/${part}${issue.instancePath}`;
    let message = issue.message ?? 'is not valid';
    if (issue.keyword === 'required') path += `/${String(issue.params.missingProperty)}`;
    if (issue.keyword === 'additionalProperties') {
      path += `/${String(issue.params.additionalProperty)}`;
      message = 'unknown field';
    }
    return { path, message };
  });
  return errors.filter((error, index) => errors.findIndex((other) => other.path === error.path) === index);
}

/** PostgreSQL SQLSTATE class 22, "data exception". */
function isDataException(error: { code?: unknown }): boolean {
  return typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code);
}

function codeForStatus(status: number): ErrorCode {
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  return 'validation';
}

/** The one mapper from errors to RFC 9457 problems; user input never produces a 500. */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }, request, reply) => {
    if (error instanceof AppError) {
      // A failed If-Match is a failed precondition in HTTP terms.
      const code: ErrorCode = error.code === 'version_conflict' && request.headers['if-match'] ? 'precondition_failed' : error.code;
      return sendProblem(reply, request, code, error.message, error.errors, error.extra);
    }
    if (isDataException(error)) {
      // The database refused a value from the request (a NUL character, an out-of-range number, an unreadable date):
      // the client's mistake, so a 400 rather than a 500. Logged, in case a server bug ever produces one.
      request.log.warn({ err: error }, 'database refused a value from the request');
      return sendProblem(reply, request, 'validation', `A value in the request cannot be used: ${error.message}`);
    }
    if (error.validation) {
      const part = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
      return sendProblem(reply, request, 'validation', 'Some fields are not valid', toFieldErrors(part, error.validation));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = codeForStatus(status);
      const errors = code === 'validation' ? [{ path: '/body', message: error.message }] : undefined;
      return sendProblem(reply, request, code, error.message, errors);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, 'internal', 'Something went wrong on our side; the request id helps us find it');
  });
}
