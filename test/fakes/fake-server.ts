import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake received it, for tests to assert what an adapter sent. */
export interface RecordedRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  /** True once the client closed the connection before the response ended. */
  readonly aborted: boolean;
}

/**
 * Failures every fake can inject, each rendered in its provider's own wire format.
 * `slow` delays the response headers by `delayMs`; `drop_mid_stream` sends some audio and
 * then cuts the connection.
 */
export type InjectedFailure =
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'quota_exceeded' }
  /** `shouldRetry` sends `x-should-retry: true` in place of the `false` that keeps SDK clients from retrying on their own. */
  | { readonly kind: 'server_error'; readonly status?: number; readonly shouldRetry?: boolean }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'auth' }
  /** `shouldRetry` sends OpenAI's `x-should-retry: true` with it (OpenAI and Azure OpenAI fakes). */
  | { readonly kind: 'bad_request'; readonly shouldRetry?: boolean }
  | { readonly kind: 'content_rejected' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'drop_mid_stream' };

/** Knobs for benchmarks and router tests. */
interface FakeBehaviour {
  /** Delay before the response starts. */
  latencyMs: number;
  /** Audio is written in chunks of this many bytes... */
  chunkBytes: number;
  /** ...with this pause between chunks. */
  chunkDelayMs: number;
  /** Probability (0..1) that a request fails with `randomFailure`. */
  failureRate: number;
  randomFailure: InjectedFailure;
}

export interface FakeContext {
  readonly request: RecordedRequest;
  readonly behaviour: FakeBehaviour;
  /** The failure injected for this request, if any (consumed from the queue or drawn by `failureRate`). */
  readonly failure: InjectedFailure | undefined;
  /** Writes audio bytes in the configured chunks and delays; resolves when done or the client left. */
  writeChunked(response: ServerResponse, bytes: Uint8Array): Promise<void>;
}

export type FakeHandler = (context: FakeContext, response: ServerResponse) => Promise<void> | void;

export interface FakeServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly behaviour: FakeBehaviour;
  lastRequest(): RecordedRequest;
  /** Queues failures for the next requests, in order. */
  inject(...failures: InjectedFailure[]): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  readonly port?: number;
  readonly behaviour?: Partial<FakeBehaviour>;
  readonly random?: () => number;
  /**
   * How long an idle connection stays open (default 1 s). Node announces it as `Keep-Alive:
   * timeout=1`, which undici shortens by its own 1 s margin to nothing: every request then
   * opens a new connection. Benchmarks set more so connections are reused, as with a real API.
   */
  readonly keepAliveTimeoutMs?: number;
}

const DEFAULT_BEHAVIOUR: FakeBehaviour = {
  latencyMs: 0,
  chunkBytes: 4096,
  chunkDelayMs: 0,
  failureRate: 0,
  randomFailure: { kind: 'server_error' },
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An HTTP/1.1 server on loopback that records every request and lets a provider handler answer. */
export async function startFakeServer(handler: FakeHandler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const queued: InjectedFailure[] = [];
  const behaviour: FakeBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const random = options.random ?? Math.random;

  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const url = new URL(incoming.url ?? '/', 'http://fake');
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const recorded = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks), aborted: false };
      requests.push(recorded);
      response.on('close', () => {
        if (!response.writableFinished) recorded.aborted = true;
      });
      const failure = queued.shift() ?? (behaviour.failureRate > 0 && random() < behaviour.failureRate ? behaviour.randomFailure : undefined);
      if (behaviour.latencyMs > 0) await sleep(behaviour.latencyMs);
      if (failure?.kind === 'slow') await sleep(failure.delayMs);
      if (response.destroyed) return;
      await handler({ request: recorded, behaviour, failure, writeChunked: (target, bytes) => writeChunked(target, bytes, behaviour) }, response);
    })().catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake server error: ${error instanceof Error ? error.message : String(error)}`);
      } else response.destroy();
    });
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 1000;
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests,
    behaviour,
    lastRequest() {
      const last = requests.at(-1);
      if (last === undefined) throw new Error('the fake received no request');
      return last;
    },
    inject: (...failures) => queued.push(...failures),
    reset() {
      requests.length = 0;
      queued.length = 0;
      Object.assign(behaviour, DEFAULT_BEHAVIOUR, options.behaviour);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function writeChunked(response: ServerResponse, bytes: Uint8Array, behaviour: FakeBehaviour): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += behaviour.chunkBytes) {
    if (response.destroyed) return;
    const ok = response.write(bytes.subarray(offset, offset + behaviour.chunkBytes));
    if (!ok) await once(response, 'drain');
    if (behaviour.chunkDelayMs > 0) await sleep(behaviour.chunkDelayMs);
  }
}

/** Cuts the connection after part of the audio, as a crashed upstream would. */
export async function dropMidStream(response: ServerResponse, bytes: Uint8Array): Promise<void> {
  response.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 3))));
  await sleep(20);
  response.destroy();
}

export function readJson(request: RecordedRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    return undefined;
  }
}
