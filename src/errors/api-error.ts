import { ERRORS, type ErrorCode } from './catalogue.js';

/** A domain error with a stable code; the catalogue maps it to a status and a message. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number | undefined>;
  /** Name of the request field the error is about, reported as `source` in the body. */
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    params: Record<string, string | number | undefined> = {},
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(code, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.params = params;
    this.field = options.field;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

export function isNotFound(err: unknown): boolean {
  return isApiError(err) && err.status === 404;
}
