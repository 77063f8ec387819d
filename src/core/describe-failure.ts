import { ApiError, type ApiErrorType } from '../domain/errors.js';
import { ProviderError, type ProviderErrorKind } from '../providers/spec/errors.js';
import { isRedisUnavailable } from '../redis/unavailable.js';
import { AllDeploymentsFailedError, NoDeploymentAvailableError } from '../router/routing-errors.js';
import { EmptyAudioError } from './prime-stream.js';

/**
 * One reading of any failure: what the sync endpoint answers (status and OpenAI envelope fields)
 * and what a job worker decides (another attempt, and no sooner than when). The HTTP error
 * middleware and the worker's retry policy both read failures here, so they never disagree.
 */
export interface FailureDescription {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly code: string | null;
  readonly message: string;
  readonly param: string | null;
  /** Whether trying again later may succeed (a 429, an upstream outage), unlike a client mistake. */
  readonly retryable: boolean;
  /** The soonest moment worth trying again, when the failure says. */
  readonly retryAfterMs: number | undefined;
}

const PROVIDER_STATUS: Record<ProviderErrorKind, { status: number; type: ApiErrorType; code: string }> = {
  // The client's own request was at fault: say so with the upstream's reason.
  invalid_request: { status: 400, type: 'invalid_request_error', code: 'invalid_request' },
  unsupported: { status: 400, type: 'invalid_request_error', code: 'unsupported_request' },
  content_rejected: { status: 400, type: 'invalid_request_error', code: 'content_policy_violation' },
  rate_limited: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  // The gateway's upstream account or credentials are at fault, not the client.
  quota_exceeded: { status: 503, type: 'upstream_error', code: 'upstream_quota_exceeded' },
  auth: { status: 502, type: 'upstream_error', code: 'upstream_authentication_failed' },
  unavailable: { status: 502, type: 'upstream_error', code: 'upstream_unavailable' },
  timeout: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
};

export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      type: error.type,
      message: error.message,
      code: error.code,
      param: error.param,
      retryable: error.status === 429 || error.status >= 500,
      retryAfterMs: error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000,
    };
  }
  if (error instanceof AllDeploymentsFailedError) {
    const providerError = error.providerError;
    if (providerError !== undefined) return fromProviderError(providerError, error.attempts.length);
    const reason = error.lastError instanceof EmptyAudioError ? 'the provider returned no audio' : 'the audio could not be produced';
    return {
      status: 502,
      type: 'upstream_error',
      message: `${reason} (model '${error.modelName}', ${error.attempts.length} attempt(s))`,
      code: 'upstream_error',
      param: null,
      retryable: true,
      retryAfterMs: undefined,
    };
  }
  if (error instanceof NoDeploymentAvailableError) {
    // Always say when to come back: the soonest cooldown end, else one second.
    const retryAfterMs = error.retryAfterMs ?? 1000;
    if (error.reason === 'rate_limited')
      return { status: 429, type: 'rate_limit_error', message: error.message, code: 'rate_limit_exceeded', param: null, retryable: true, retryAfterMs };
    return { status: 503, type: 'server_error', message: error.message, code: 'no_deployment_available', param: null, retryable: true, retryAfterMs };
  }
  if (error instanceof ProviderError) return fromProviderError(error, 1);
  // State lives in Redis: while it is away, say so and when to come back, rather than a 500.
  if (isRedisUnavailable(error)) {
    return {
      status: 503,
      type: 'server_error',
      message: 'The service cannot reach its state store right now. Retry shortly.',
      code: 'service_unavailable',
      param: null,
      retryable: true,
      retryAfterMs: 1000,
    };
  }
  // Storage hiccups, a killed ffmpeg: worth another try, but never the details to a client.
  return {
    status: 500,
    type: 'server_error',
    message: 'The server had an error while processing your request.',
    code: 'internal_error',
    param: null,
    retryable: true,
    retryAfterMs: undefined,
  };
}

function fromProviderError(error: ProviderError, attempts: number): FailureDescription {
  const mapped = PROVIDER_STATUS[error.kind];
  return {
    status: mapped.status,
    type: mapped.type,
    code: mapped.code,
    param: null,
    message: `${error.provider}: ${error.message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
  };
}
