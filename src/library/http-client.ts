import { z } from 'zod';
import type { ApiErrorType } from '../domain/errors.js';
import { ConnectionError, errorFromDescription, type TtsGatewayError } from './errors.js';

/** Where a running tts-gateway answers, and the key to use. */
export interface GatewayClientOptions {
  /** The server, for example `http://127.0.0.1:4000`. */
  readonly baseUrl: string;
  /** The master key or a virtual key; none for a server without a master key. */
  readonly apiKey?: string;
  readonly fetch?: typeof globalThis.fetch;
}

const envelopeSchema = z.object({
  error: z.looseObject({
    message: z.string(),
    type: z.string().optional(),
    param: z.string().nullish(),
    code: z.string().nullish(),
  }),
});

const TYPES: readonly ApiErrorType[] = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'server_error',
  'upstream_error',
  'timeout_error',
];

function typeOfStatus(status: number): ApiErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 502) return 'upstream_error';
  if (status === 504) return 'timeout_error';
  return status < 500 ? 'invalid_request_error' : 'server_error';
}

/** An error answer as the typed error the same failure raises in process: OpenAI's envelope, read back. */
async function errorOfResponse(response: Response): Promise<TtsGatewayError> {
  const text = await response.text().catch(() => '');
  let parsed: z.infer<typeof envelopeSchema> | undefined;
  try {
    const result = envelopeSchema.safeParse(JSON.parse(text));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  const type = parsed?.error.type;
  return errorFromDescription({
    status: response.status,
    type: type !== undefined && (TYPES as readonly string[]).includes(type) ? (type as ApiErrorType) : typeOfStatus(response.status),
    message: parsed?.error.message ?? (text.trim() || `HTTP ${response.status}`),
    code: parsed?.error.code ?? null,
    param: parsed?.error.param ?? null,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  });
}

export interface GatewayRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
}

/** Calls the gateway's HTTP API; a non-2xx answer throws its typed error, an unreachable server a `ConnectionError`. */
export function createHttpClient(options: GatewayClientOptions): (request: GatewayRequest) => Promise<Response> {
  const fetch = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const headers: Record<string, string> = { ...request.headers };
    if (options.apiKey !== undefined) headers['authorization'] = `Bearer ${options.apiKey}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${request.path}`, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
    } catch (error) {
      if (request.signal?.aborted === true) throw error;
      throw new ConnectionError(
        `cannot reach ${base}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw await errorOfResponse(response);
    return response;
  };
}

/** A response body as a stream of byte chunks. */
export async function* bodyChunks(response: Response): AsyncGenerator<Uint8Array> {
  if (response.body === null) return;
  for await (const chunk of response.body) yield chunk as Uint8Array;
}
