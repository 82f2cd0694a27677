import type { ErrorCode, ImportFileProblem } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';

/**
 * A file refused as a whole: the English message for logs and scripts, and at `/body` the problem's code and params
 * that the web translates.
 */
export function fileProblem(problem: ImportFileProblem, message: string, detail: string, params: Record<string, string | number> = {}, code: ErrorCode = 'validation'): AppError {
  return new AppError(code, { message, errors: [{ path: '/body', message: detail, code: problem, params }] });
}
