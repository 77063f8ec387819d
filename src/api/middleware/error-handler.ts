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

/**
 * A 4xx that Express or body-parser raised: the client's mistake. body-parser's own carry a
 * `type`; a body that does not decode as its Content-Encoding says comes from zlib (a `Z_` code);
 * a path with broken percent-encoding is Express's URIError.
 */
interface ClientFault {
  readonly type?: unknown;
  readonly status: number;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly limit?: number;
  readonly length?: number;
  readonly encoding?: unknown;
}

function isClientFault(error: unknown): error is ClientFault {
  if (typeof error !== 'object' || error === null) return false;
  const { status } = error as { status?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The OpenAI envelope for anything thrown: body-parser's own errors first become the gateway's, then `describeFailure` reads them all. */
export function toEnvelope(error: unknown): Envelope {
  // The gateway's own errors also carry a type and a status: only a foreign error is body-parser's.
  const foreign = !(error instanceof ApiError) && !(error instanceof ProviderError) && isClientFault(error);
  const { status, type, message, code, param, retryAfterMs } = describeFailure(foreign ? fromClientFault(error) : error);
  return { status, type, message, code, param, ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }) };
}

function fromClientFault(error: ClientFault): ApiError {
  if (error instanceof URIError) {
    return invalidRequest('The path has broken percent-encoding: every % must start a valid UTF-8 escape such as %20.', null, 'invalid_path');
  }
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
    const reason = typeof error.message === 'string' ? `: ${error.message}` : '';
    return new ApiError({
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_body',
      message: `The request body does not decode as its Content-Encoding says${reason}. Send it compressed that way, or without the header.`,
    });
  }
  if (error.type === 'encoding.unsupported') {
    const encoding = typeof error.encoding === 'string' ? `"${error.encoding}"` : 'of the request';
    return new ApiError({
      status: 415,
      type: 'invalid_request_error',
      code: 'unsupported_content_encoding',
      message: `Content-Encoding ${encoding} is not supported: send the body as identity, gzip or deflate.`,
    });
  }
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
    message: `The request body could not be read (${typeof error.type === 'string' ? error.type : 'unreadable'}).`,
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
