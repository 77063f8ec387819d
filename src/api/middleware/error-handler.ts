import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
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

/** The envelope as JSON, with the headers Express's `response.json` would set (the lean speech route has no Express). */
function sendError(response: ServerResponse, envelope: Envelope): void {
  if (envelope.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(envelope.retryAfterSeconds));
  const body = JSON.stringify({ error: { message: envelope.message, type: envelope.type, param: envelope.param, code: envelope.code } });
  response.statusCode = envelope.status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

/**
 * The one place where anything thrown becomes OpenAI's error envelope: logged, then sent, or
 * (when audio was already on its way) the connection cut.
 */
export function answerFailure(logger: Logger, error: unknown, request: { readonly path: string; readonly requestId: string }, response: ServerResponse): void {
  const envelope = toEnvelope(error);
  if (envelope.status >= 500) logger.error({ requestId: request.requestId, err: error, path: request.path }, 'request failed');
  else logger.info({ requestId: request.requestId, status: envelope.status, code: envelope.code, path: request.path }, 'request rejected');
  if (response.headersSent) {
    // Audio was already on its way: ending the connection abruptly is the only honest signal left.
    response.destroy(error instanceof Error ? error : undefined);
    return;
  }
  sendError(response, envelope);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    const streaming = response.headersSent;
    answerFailure(logger, error, { path: request.path, requestId: requestIdOf(response.locals) }, response);
    if (streaming) next();
  };
}
