import type { ErrorCode, FieldError } from '@rapport/shared';

export interface AppErrorDetails {
  /** Human-readable explanation for logs and API clients; the web shows its own translation of `code`. */
  message?: string;
  errors?: FieldError[];
  currentVersion?: number;
  mergedInto?: string;
}

/** The only error services throw on purpose; http/problem.ts turns it into problem+json. */
export class AppError extends Error {
  readonly errors: FieldError[] | undefined;
  /** Machine-readable facts the client acts on (reload to this version, open the survivor). */
  readonly extra: Pick<AppErrorDetails, 'currentVersion' | 'mergedInto'>;

  constructor(
    readonly code: ErrorCode,
    details: AppErrorDetails = {},
  ) {
    super(details.message ?? code);
    this.name = 'AppError';
    this.errors = details.errors;
    this.extra = { ...(details.currentVersion !== undefined ? { currentVersion: details.currentVersion } : {}), ...(details.mergedInto ? { mergedInto: details.mergedInto } : {}) };
  }
}

export function fieldError(path: string, message: string): AppError {
  return new AppError('validation', { message, errors: [{ path, message }] });
}

/** Optimistic locking: every update names the version it was based on. */
export function requireVersion(version: number | undefined): number {
  if (version === undefined) throw new AppError('version_required', { message: 'Send the record version in If-Match or the body' });
  return version;
}
