import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { ProviderError, type ProviderErrorKind } from '../spec/errors.js';
import { parseRetryAfter, type HeaderReader } from './retry-after.js';
import { kindFromStatus } from './status-kind.js';

export interface UpstreamFailure {
  readonly status: number;
  readonly headers: HeaderReader;
  /** The error body as text, at most `ERROR_BODY_LIMIT` bytes of it. */
  readonly body: string;
}

/** What a provider makes of a failed response; fields left out fall back to the defaults. */
export interface FailureReading {
  readonly kind?: ProviderErrorKind;
  readonly message?: string;
  readonly retryAfterMs?: number;
  readonly retryable?: boolean;
  /** The upstream's own word on retrying this request (OpenAI's `x-should-retry`); it overrides the kind's default. */
  readonly shouldRetry?: boolean;
}

export interface UpstreamCall {
  readonly provider: string;
  /** undici's dispatcher: an Agent keeps one keep-alive pool per origin. */
  readonly dispatcher: Dispatcher;
  readonly url: string;
  readonly method?: 'POST' | 'GET';
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly signal: AbortSignal;
  /** The headers that carry the upstream's request id, lower-case, first found wins. */
  readonly requestIdHeaders: readonly string[];
  /** Reads a provider's error body; the status mapping and retry headers are the defaults. */
  readonly readFailure?: (failure: UpstreamFailure) => FailureReading;
}

/** A 2xx answer whose body has not been read yet. */
export interface UpstreamResponse {
  readonly provider: string;
  readonly status: number;
  /** Lower-case names, as Node parses them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  readonly upstreamRequestId: string | undefined;
}

const ERROR_BODY_LIMIT = 8192;

/**
 * One HTTP call to a provider through undici. Resolves once the status is 2xx, with the body
 * still to be read; every failure (network, timeout, abort, non-2xx) becomes a
 * `ProviderError`, except a cancellation by our own caller, which is rethrown as is.
 */
export async function callUpstream(call: UpstreamCall): Promise<UpstreamResponse> {
  const { origin, path } = splitUrl(call.url);
  let response: Dispatcher.ResponseData;
  try {
    response = await call.dispatcher.request({
      origin,
      path,
      method: call.method ?? 'POST',
      headers: call.headers,
      body: call.body ?? null,
      signal: call.signal,
    });
  } catch (error) {
    throw networkFailure(call.provider, error, call.signal);
  }
  const { statusCode: status, headers } = response;
  const upstreamRequestId = readRequestId(headers, call.requestIdHeaders);
  if (status >= 200 && status < 300) return { provider: call.provider, status, headers, body: response.body, upstreamRequestId };
  const body = await readLimitedText(response.body, ERROR_BODY_LIMIT).catch(() => '');
  const reader = headerReader(headers);
  const reading = call.readFailure?.({ status, headers: reader, body }) ?? {};
  const retryAfterMs = reading.retryAfterMs ?? parseRetryAfter(reader, Date.now(), { rateLimited: status === 429 });
  throw new ProviderError({
    kind: reading.kind ?? kindFromStatus(status),
    provider: call.provider,
    status,
    message: reading.message ?? (body.trim() || `HTTP ${status}`),
    ...(reading.retryable === undefined ? {} : { retryable: reading.retryable }),
    ...(reading.shouldRetry === undefined ? {} : { shouldRetry: reading.shouldRetry }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
  });
}

/**
 * `https://host:port/path?query` as undici's origin and path, by slicing: the URLs are built
 * from validated `api_base`s, so no URL object is made per request.
 */
function splitUrl(url: string): { readonly origin: string; readonly path: string } {
  const scheme = url.indexOf('://');
  const end = url.slice(scheme + 3).search(/[/?#]/);
  if (end === -1) return { origin: url, path: '/' };
  const split = scheme + 3 + end;
  const rest = url.slice(split);
  return { origin: url.slice(0, split), path: rest.startsWith('/') ? rest : `/${rest}` };
}

function readRequestId(headers: IncomingHttpHeaders, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && text !== '') return text;
  }
  return undefined;
}

/** Node's parsed headers read the way `Headers.get` reads them (repeated values joined). */
function headerReader(headers: IncomingHttpHeaders): HeaderReader {
  return {
    get(name) {
      const value = headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

async function readLimitedText(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // The rest of an oversized error page tells nothing more; leaving the loop destroys the body.
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** A call that failed before any response, or a body that broke off: our abort, a timeout, or the network. */
export function networkFailure(provider: string, error: unknown, signal: AbortSignal): unknown {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new ProviderError({ kind: 'timeout', provider, message: 'the provider did not answer in time', cause: error });
    }
    return error;
  }
  return new ProviderError({
    kind: 'unavailable',
    provider,
    message: `cannot reach the provider: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
