/** Stable error codes: the API's `code` field and the web's i18n key `errors.<code>`. */
export const ERROR_CODES = {
  validation: 400,
  bad_cursor: 400,
  bad_filter: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  csrf: 403,
  forbidden: 403,
  /** An export holds more rows than the role's export row limit. */
  export_limit: 403,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  version_required: 428,
  precondition_failed: 412,
  already_set_up: 409,
  token_invalid: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  idempotency_conflict: 409,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** JSON pointer into the request, e.g. `/body/email` or `/query/limit`. */
  path: string;
  message: string;
  /** The merge field of a document template an error is about (an unknown field or a broken tag). */
  field?: string;
  /** A problem code the web translates (with `params`) where the English message is not enough, e.g. `import.csv_broken`. */
  code?: string;
  params?: Record<string, string | number>;
}

/** RFC 9457 problem document as Rapport sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  /** On version_conflict / precondition_failed: the version the record has now. */
  currentVersion?: number;
  /** On not_found of a record merged into another: the id of the record that took it over. */
  mergedInto?: string;
}
