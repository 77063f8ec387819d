import { ProviderError, type ProviderErrorKind } from '../spec/errors.js';
import { parseRetryAfter } from './retry-after.js';
import { kindFromStatus } from './status-kind.js';

export interface UpstreamFailure {
  readonly status: number;
  readonly headers: Headers;
  /** The error body as text, at most `ERROR_BODY_LIMIT` characters. */
  readonly body: string;
}

/** What a provider makes of a failed response; fields left out fall back to the defaults. */
export interface FailureReading {
  readonly kind?: ProviderErrorKind;
  readonly message?: string;
  readonly retryAfterMs?: number;
  readonly retryable?: boolean;
}

export interface UpstreamCall {
  readonly provider: string;
  readonly fetch: typeof globalThis.fetch;
  readonly url: string | URL;
  readonly method?: 'POST' | 'GET';
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly signal: AbortSignal;
  /** The header(s) that carry the upstream's request id, first found wins (default `x-request-id`). */
  readonly requestIdHeader?: string | readonly string[];
  /** Reads a provider's error body; the status mapping and retry headers are the defaults. */
  readonly readFailure?: (failure: UpstreamFailure) => FailureReading;
}

const ERROR_BODY_LIMIT = 8192;

/**
 * One HTTP call to a provider. Resolves with the response once its status is 2xx; every
 * failure (network, timeout, abort, non-2xx) becomes a `ProviderError`, except a
 * cancellation by our own caller, which is rethrown as is.
 */
export async function callUpstream(call: UpstreamCall): Promise<Response> {
  let response: Response;
  try {
    response = await call.fetch(call.url, {
      method: call.method ?? 'POST',
      headers: call.headers,
      ...(call.body === undefined ? {} : { body: call.body }),
      signal: call.signal,
    });
  } catch (error) {
    throw networkFailure(call.provider, error, call.signal);
  }
  if (response.ok) return response;
  const body = (await response.text().catch(() => '')).slice(0, ERROR_BODY_LIMIT);
  const failure: UpstreamFailure = { status: response.status, headers: response.headers, body };
  const reading = call.readFailure?.(failure) ?? {};
  const upstreamRequestId = readRequestId(response.headers, call.requestIdHeader);
  const retryAfterMs = reading.retryAfterMs ?? parseRetryAfter(response.headers, Date.now(), { rateLimited: response.status === 429 });
  throw new ProviderError({
    kind: reading.kind ?? kindFromStatus(response.status),
    provider: call.provider,
    status: response.status,
    message: reading.message ?? (body.trim() || `HTTP ${response.status}`),
    ...(reading.retryable === undefined ? {} : { retryable: reading.retryable }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
  });
}

export function readRequestId(headers: Headers, names: string | readonly string[] = 'x-request-id'): string | undefined {
  for (const name of typeof names === 'string' ? [names] : names) {
    const value = headers.get(name);
    if (value !== null && value !== '') return value;
  }
  return undefined;
}

/** A fetch that failed before any response: our abort, a timeout, or the network. */
export function networkFailure(provider: string, error: unknown, signal: AbortSignal): unknown {
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

/**
 * The response body as a stream of chunks. A failure mid-body (the connection dropped, a
 * timeout) becomes a `ProviderError`, so callers see one error type.
 */
export async function* responseAudio(provider: string, response: Response, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (response.body === null) return;
  try {
    for await (const chunk of response.body) yield chunk;
  } catch (error) {
    throw networkFailure(provider, error, signal);
  }
}
