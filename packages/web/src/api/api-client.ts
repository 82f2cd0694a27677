import type { ErrorCode, FieldError, Problem } from '@rapport/shared';

const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A failed API call, carrying the problem document's stable code and field errors. */
export class ApiError extends Error {
  readonly status: number;
  /** `network` when the server could not be reached at all. */
  readonly code: ErrorCode | 'network';
  readonly fieldErrors: FieldError[];
  /** Facts the page acts on: the version to reload to, the record a merged one went into. */
  readonly extra: Pick<Problem, 'currentVersion' | 'mergedInto'>;

  constructor(status: number, code: ErrorCode | 'network', fieldErrors: FieldError[] = [], detail?: string, extra: Pick<Problem, 'currentVersion' | 'mergedInto'> = {}) {
    super(detail ?? code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.extra = extra;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

// The CSRF token is per session; it arrives with login, setup, invite acceptance and /auth/me.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const unauthenticatedListeners = new Set<() => void>();

/** Called when the session is gone (expired, logged out elsewhere): the app sends the user to the sign-in page. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  body?: unknown;
  /** Sent as the body itself (an upload), instead of JSON. */
  file?: Blob;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

/** An API address with its query (empty values left out). */
export function apiUrl(path: string, query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const problem = (await response.json()) as Partial<Problem>;
      if (typeof problem.code === 'string') return new ApiError(response.status, problem.code, problem.errors ?? [], problem.detail, { currentVersion: problem.currentVersion, mergedInto: problem.mergedInto });
    } catch {
      // not a problem document; fall through to a status-based code
    }
  }
  const code: ErrorCode = response.status === 401 ? 'unauthenticated' : response.status === 403 ? 'forbidden' : response.status === 404 ? 'not_found' : 'internal';
  return new ApiError(response.status, code);
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.file) headers['content-type'] = 'application/octet-stream';
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network');
  }
}

async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('GET', '/auth/me', {});
  if (!response.ok) return false;
  const me = (await response.json()) as { csrfToken?: string };
  setCsrfToken(me.csrfToken ?? null);
  return Boolean(me.csrfToken);
}

/** A successful answer, or an ApiError (a stale CSRF token gets one retry; a lost session tells the app). */
async function call(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options: RequestOptions): Promise<Response> {
  let response = await send(method, path, options);
  let error = response.ok ? null : await toApiError(response);
  // A stale token (signed in again in another tab) gets one retry with the session's current token.
  if (error?.code === 'csrf' && (await refreshCsrfToken())) {
    response = await send(method, path, options);
    error = response.ok ? null : await toApiError(response);
  }
  if (error) {
    if (error.code === 'unauthenticated') for (const listener of unauthenticatedListeners) listener();
    throw error;
  }
  return response;
}

/** Calls the Rapport API; resolves with the JSON answer (undefined for 204) or rejects with an ApiError. */
export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const response = await call(method, path, options);
  if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file the API answers with (an export), and the name its Content-Disposition gives it. */
export async function apiFile(path: string, body: unknown): Promise<{ blob: Blob; fileName: string }> {
  const response = await call('POST', path, { body });
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
  return { blob: await response.blob(), fileName: encoded ? decodeURIComponent(encoded) : (plain ?? 'export') };
}

/** `/body/email` → `email`: the form field a server-side field error belongs to. */
export function fieldOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 1 ? parts.slice(1).join('.') : (parts[0] ?? '');
}
