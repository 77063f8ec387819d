import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { describeFailure } from '../../core/describe-failure.js';
import { ApiError, type ApiErrorType, invalidRequest, payloadTooLarge } from '../../domain/errors.js';
import { ProviderError } from '../../providers/spec/errors.js';
import { requestIdOf } from './request-id.js';

interface Envelope {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly message: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfterSeconds?: number;
}

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

/** The OpenAI envelope for anything thrown: body-parser's own errors first become the gateway's, then `describeFailure` reads them all. */
export function toEnvelope(error: unknown): Envelope {
  // The gateway's own errors also carry a type and a status: only a foreign error is body-parser's.
  const foreign = !(error instanceof ApiError) && !(error instanceof ProviderError) && isBodyParserError(error);
  const { status, type, message, code, param, retryAfterMs } = describeFailure(foreign ? fromBodyParserError(error) : error);
  return { status, type, message, code, param, ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }) };
}

function fromBodyParserError(error: BodyParserError): ApiError {
  if (error.type === 'entity.too.large') {
    const limit = error.limit === undefined ? 'the limit' : `the limit of ${formatBytes(error.limit)}`;
    const sent = error.length === undefined ? 'larger' : formatBytes(error.length);
    return payloadTooLarge(`Request body is ${sent}, over ${limit} (general_settings.max_request_size_mb).`);
  }
  if (error.type === 'entity.parse.failed') {
    return invalidRequest('We could not parse the JSON body of your request. Send valid JSON with "Content-Type: application/json".', null, 'invalid_json');
  }
  return new ApiError({
    status: error.status,
    type: 'invalid_request_error',
    code: 'invalid_body',
    message: `The request body could not be read (${error.type}).`,
  });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}

function sendError(response: Response, envelope: Envelope): void {
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
