import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError, type ApiErrorType } from '../../core/errors.js';
import { EmptyAudioError } from '../../core/prime-stream.js';
import { ProviderError, type ProviderErrorKind } from '../../providers/spec/errors.js';
import { AllDeploymentsFailedError, NoDeploymentAvailableError } from '../../router/routing-errors.js';
import { isRedisUnavailable } from '../../redis/unavailable.js';
import { requestIdOf } from './request-id.js';

interface Envelope {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly message: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfterSeconds?: number;
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

/** body-parser's errors carry a `type` and a status; these are the client's mistakes. */
interface BodyParserError {
  readonly type: string;
  readonly status: number;
  readonly limit?: number;
  readonly length?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (typeof error !== 'object' || error === null) return false;
  const { type, status } = error as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}

export function toEnvelope(error: unknown): Envelope {
  if (error instanceof ApiError) {
    return { status: error.status, type: error.type, message: error.message, code: error.code, param: error.param, ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }) };
  }
  if (error instanceof AllDeploymentsFailedError) {
    const providerError = error.providerError;
    if (providerError !== undefined) return fromProviderError(providerError, error.attempts.length);
    const reason = error.lastError instanceof EmptyAudioError ? 'the provider returned no audio' : 'the audio could not be produced';
    return { status: 502, type: 'upstream_error', message: `${reason} (model '${error.modelName}', ${error.attempts.length} attempt(s))`, code: 'upstream_error', param: null };
  }
  if (error instanceof NoDeploymentAvailableError) {
    // Always say when to come back: the soonest cooldown end, else one second.
    const retryAfterSeconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    if (error.reason === 'rate_limited') return { status: 429, type: 'rate_limit_error', message: error.message, code: 'rate_limit_exceeded', param: null, retryAfterSeconds };
    return { status: 503, type: 'server_error', message: error.message, code: 'no_deployment_available', param: null, retryAfterSeconds };
  }
  if (error instanceof ProviderError) return fromProviderError(error, 1);
  if (isBodyParserError(error)) return fromBodyParserError(error);
  // State lives in Redis: while it is away, say so and when to come back, rather than a 500.
  if (isRedisUnavailable(error)) {
    return { status: 503, type: 'server_error', message: 'The service cannot reach its state store right now. Retry shortly.', code: 'service_unavailable', param: null, retryAfterSeconds: 1 };
  }
  return { status: 500, type: 'server_error', message: 'The server had an error while processing your request.', code: 'internal_error', param: null };
}

function fromProviderError(error: ProviderError, attempts: number): Envelope {
  const mapped = PROVIDER_STATUS[error.kind];
  const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return {
    status: mapped.status,
    type: mapped.type,
    code: mapped.code,
    param: null,
    message: `${error.provider}: ${error.message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}

function fromBodyParserError(error: BodyParserError): Envelope {
  if (error.type === 'entity.too.large') {
    const limit = error.limit === undefined ? 'the limit' : `the limit of ${formatBytes(error.limit)}`;
    const sent = error.length === undefined ? 'larger' : formatBytes(error.length);
    return { status: 413, type: 'invalid_request_error', code: 'request_too_large', param: null, message: `Request body is ${sent}, over ${limit} (general_settings.max_request_size_mb).` };
  }
  if (error.type === 'entity.parse.failed') {
    return { status: 400, type: 'invalid_request_error', code: 'invalid_json', param: null, message: 'We could not parse the JSON body of your request. Send valid JSON with "Content-Type: application/json".' };
  }
  return { status: error.status, type: 'invalid_request_error', code: 'invalid_body', param: null, message: `The request body could not be read (${error.type}).` };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}

export function sendError(response: Response, envelope: Envelope): void {
  if (envelope.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(envelope.retryAfterSeconds));
  response.status(envelope.status).json({ error: { message: envelope.message, type: envelope.type, param: envelope.param, code: envelope.code } });
}

/** The one place where anything thrown becomes OpenAI's error envelope. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    const requestId = requestIdOf(response.locals);
    const envelope = toEnvelope(error);
    const log = logger.child({ requestId });
    if (envelope.status >= 500) log.error({ err: error, path: request.path }, 'request failed');
    else log.info({ status: envelope.status, code: envelope.code, path: request.path }, 'request rejected');
    if (response.headersSent) {
      // Audio was already on its way: ending the connection abruptly is the only honest signal left.
      response.destroy(error instanceof Error ? error : undefined);
      next();
      return;
    }
    sendError(response, envelope);
  };
}
