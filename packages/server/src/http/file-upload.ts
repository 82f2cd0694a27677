import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';
import type { App } from './app-types.js';

/**
 * Routes whose request body is a file (Content-Type: application/octet-stream), streamed to storage as it arrives:
 * not buffered, not bound by the JSON body limit. The parser is scoped to these routes only.
 */
export function fileUploadRoutes(app: App, register: (scope: App) => void): void {
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/octet-stream', (_request, _payload, done) => done(null));
    register(scope);
  });
}

/** Any other body would already have been read by its parser, leaving no file to store. */
export function requireFileBody(request: FastifyRequest): void {
  if (request.headers['content-type']?.split(';')[0]?.trim() !== 'application/octet-stream') {
    throw new AppError('unsupported_media_type', { message: 'Send the file itself as application/octet-stream', errors: [{ path: '/headers/content-type', message: 'must be application/octet-stream' }] });
  }
}
