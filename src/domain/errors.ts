/**
 * The gateway's own errors, each carrying the HTTP status and OpenAI envelope fields it
 * maps to. Provider failures arrive as `ProviderError` and are mapped in one place
 * (`core/describe-failure.ts`).
 */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'upstream_error'
  | 'timeout_error';

export interface ApiErrorOptions {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly message: string;
  readonly code?: string | null;
  readonly param?: string | null;
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

export class ApiError extends Error {
  // Widened so the library's subclasses (BadRequestError, RateLimitError, ...) can name themselves.
  override readonly name: string = 'ApiError';
  readonly status: number;
  readonly type: ApiErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(options: ApiErrorOptions) {
    super(options.message, { cause: options.cause });
    this.status = options.status;
    this.type = options.type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null): ApiError =>
  new ApiError({ status: 400, type: 'invalid_request_error', message, param, code });

export const unauthorized = (message: string): ApiError => new ApiError({ status: 401, type: 'authentication_error', message, code: 'invalid_api_key' });

export const forbidden = (message: string, code = 'model_not_allowed'): ApiError => new ApiError({ status: 403, type: 'permission_error', message, code });

export const notFound = (message: string, code: string, param: string | null = null): ApiError =>
  new ApiError({ status: 404, type: 'not_found_error', message, code, param });

export const payloadTooLarge = (message: string): ApiError => new ApiError({ status: 413, type: 'invalid_request_error', message, code: 'request_too_large' });

/** A store the answer depends on (Redis) is unreachable: refuse rather than guess, and say when to retry. */
export const serviceUnavailable = (message: string, cause?: unknown): ApiError =>
  new ApiError({ status: 503, type: 'server_error', message, code: 'service_unavailable', retryAfterSeconds: 1, cause });
