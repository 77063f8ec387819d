import { ConfigError } from '../config/config-error.js';
import { describeFailure, type FailureDescription } from '../core/describe-failure.js';
import { ApiError, type ApiErrorOptions, type ApiErrorType } from '../domain/errors.js';

/**
 * The errors a library call throws: the server's own `ApiError`, one subclass per kind of
 * failure, carrying what the HTTP API would have answered (`status`, `type`, `code`, `param`,
 * `retryAfter`). Every failure is read through the same `describeFailure` the HTTP error
 * middleware and the job worker use, so a library user and an HTTP client see one verdict.
 * The original error stays in `cause`.
 */
export { ApiError, ConfigError };

type Options = Omit<ApiErrorOptions, 'type'> & { readonly type?: ApiErrorType };

abstract class TypedApiError extends ApiError {
  protected constructor(type: ApiErrorType, options: Options) {
    super({ ...options, type: options.type ?? type });
  }

  /** Seconds to wait before trying again, when the failure says (the HTTP `Retry-After`). */
  get retryAfter(): number | undefined {
    return this.retryAfterSeconds;
  }
}

/** 400 (and 409): the request was at fault; `param` names the field. */
export class BadRequestError extends TypedApiError {
  override readonly name: string = 'BadRequestError';
  constructor(options: Options) {
    super('invalid_request_error', options);
  }
}
/** 413: the input or body is over a limit. */
export class RequestTooLargeError extends BadRequestError {
  override readonly name: string = 'RequestTooLargeError';
}
/** 401: a missing or wrong key. */
export class AuthenticationError extends TypedApiError {
  override readonly name: string = 'AuthenticationError';
  constructor(options: Options) {
    super('authentication_error', options);
  }
}
/** 403: this key may not use the model. */
export class PermissionDeniedError extends TypedApiError {
  override readonly name: string = 'PermissionDeniedError';
  constructor(options: Options) {
    super('permission_error', options);
  }
}
/** 404: an unknown model, job or item. */
export class NotFoundError extends TypedApiError {
  override readonly name: string = 'NotFoundError';
  constructor(options: Options) {
    super('not_found_error', options);
  }
}
/** 429: rate limited; `retryAfter` says when to come back. */
export class RateLimitError extends TypedApiError {
  override readonly name: string = 'RateLimitError';
  constructor(options: Options) {
    super('rate_limit_error', options);
  }
}
/** 502 or 503: every deployment failed, after retries and fallbacks. */
export class UpstreamError extends TypedApiError {
  override readonly name: string = 'UpstreamError';
  constructor(options: Options) {
    super('upstream_error', options);
  }
}
/** 504: no audio within the deployment's timeout. */
export class TimeoutError extends TypedApiError {
  override readonly name: string = 'TimeoutError';
  constructor(options: Options) {
    super('timeout_error', options);
  }
}
/** 500 or 503: the gateway itself could not serve (no deployment available, a state store away). */
export class InternalServerError extends TypedApiError {
  override readonly name: string = 'InternalServerError';
  constructor(options: Options) {
    super('server_error', options);
  }
}
/** The gateway's HTTP API could not be reached at all (remote clients only). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

export type TtsGatewayError =
  | BadRequestError
  | AuthenticationError
  | PermissionDeniedError
  | NotFoundError
  | RateLimitError
  | UpstreamError
  | TimeoutError
  | InternalServerError;

/** What an HTTP answer or a failure description says, as the typed error for it. */
export function errorFromDescription(
  description: Omit<FailureDescription, 'retryable' | 'retryAfterMs'> & { readonly retryAfterMs?: number | undefined },
  cause?: unknown,
): TtsGatewayError {
  const options: Options = {
    status: description.status,
    type: description.type,
    message: description.message,
    code: description.code,
    param: description.param,
    ...(description.retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.ceil(description.retryAfterMs / 1000) }),
    ...(cause === undefined ? {} : { cause }),
  };
  switch (description.type) {
    case 'invalid_request_error':
      return description.status === 413 ? new RequestTooLargeError(options) : new BadRequestError(options);
    case 'authentication_error':
      return new AuthenticationError(options);
    case 'permission_error':
      return new PermissionDeniedError(options);
    case 'not_found_error':
      return new NotFoundError(options);
    case 'rate_limit_error':
      return new RateLimitError(options);
    case 'upstream_error':
      return new UpstreamError(options);
    case 'timeout_error':
      return new TimeoutError(options);
    case 'server_error':
      return new InternalServerError(options);
  }
}

/** The abort reason a cancelled call rejects with, as `fetch` does. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Any failure of an in-process call, as a typed error. An abort stays the caller's own reason;
 * a bad configuration stays a `ConfigError`, listing every problem.
 */
export function toLibraryError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted === true) return abortReason(signal);
  if (error instanceof TypedApiError || error instanceof ConfigError) return error;
  return errorFromDescription(describeFailure(error), error);
}
