import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { composeGateway, type Gateway } from '../../src/compose-gateway.js';
import { DEFAULT_CONFIG_DOCUMENT } from '../../src/config/default-config.js';
import { readConfigDocument } from '../../src/config/load-config.js';
import type { GatewayEvent, QueueDepthSource } from '../../src/domain/events.js';
import type { Authenticator } from '../../src/domain/principal.js';
import { connectRedis } from '../../src/redis/connection.js';
import type { JobWorkers } from '../../src/worker/start-workers.js';
import type { TestClock } from './clock.js';
import { testLogger } from './log-sink.js';
import { testTools } from './tools.js';

export interface StartGatewayOptions {
  /** A LiteLLM-style config document; the embedded default when absent. */
  readonly config?: unknown;
  /** What `os.environ/NAME` references in the config resolve to. */
  readonly environment?: Record<string, string>;
  /** A Redis URL: shared state, keys, spend and jobs; without it state is per process. */
  readonly redis?: string;
  /** The gateway's clock; real time when absent. */
  readonly clock?: TestClock;
  readonly masterKey?: string;
  /** Replaces the authenticator the gateway would build. */
  readonly authenticator?: Authenticator;
  readonly engine?: 'binary' | 'wasm';
  readonly fetch?: typeof globalThis.fetch;
  readonly random?: () => number;
  readonly queueDepth?: QueueDepthSource;
  readonly logLevel?: 'info' | 'debug';
}

interface TestResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface RunningGateway {
  readonly baseUrl: string;
  readonly gateway: Gateway;
  /** The gateway's Redis client; only there when started with `redis`. */
  readonly redis: RedisClient;
  /** Every log line written so far, parsed, and as written. */
  readonly logs: Array<Record<string, unknown>>;
  readonly rawLogs: string[];
  /** Every event the gateway published, in order. */
  readonly events: GatewayEvent[];
  /** Moves the gateway's clock forward; only with a `clock`. */
  advance(ms: number): void;
  /** Runs the job processors in this process, on their own blocking connection; closed with the gateway. */
  startWorkers(): JobWorkers;
  /** A JSON request with `Bearer <key>` (the master key by default), its body parsed. */
  request(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Starts the real application on an ephemeral loopback port, composed as the entry point does. */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const { config, warnings } = readConfigDocument(options.config ?? DEFAULT_CONFIG_DOCUMENT, options.environment ?? {});
  const { logger, logs, rawLogs } = testLogger(options.logLevel);
  const redisUrl = options.redis;
  const redis = redisUrl === undefined ? undefined : connectRedis(redisUrl);
  const gateway = composeGateway({
    config,
    startupWarnings: warnings,
    masterKey: options.masterKey,
    tools: testTools(options.engine),
    logger,
    ...(options.clock === undefined ? {} : { now: options.clock.now }),
    ...(redis === undefined ? {} : { redis }),
    ...(options.authenticator === undefined ? {} : { authenticator: options.authenticator }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.queueDepth === undefined ? {} : { queueDepth: options.queueDepth }),
  });
  const events: GatewayEvent[] = [];
  gateway.events.subscribe((event) => events.push(event));
  const server: Server = gateway.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workers: JobWorkers[] = [];
  const blocking: RedisClient[] = [];
  return {
    baseUrl,
    gateway,
    redis: redis as RedisClient,
    logs,
    rawLogs,
    events,
    advance(ms) {
      if (options.clock === undefined) throw new Error('the gateway was started on real time: pass a clock to move it');
      options.clock.advance(ms);
    },
    startWorkers() {
      const jobs = gateway.jobs;
      if (jobs === undefined || redisUrl === undefined) throw new Error('the gateway was composed without jobs');
      const connection = connectRedis(redisUrl, { blocking: true });
      blocking.push(connection);
      const started = jobs.startWorkers(connection);
      workers.push(started);
      return started;
    },
    async request(method, path, { key = options.masterKey, body, headers = {} } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await gateway.jobs?.close();
      await gateway.governance.close();
      gateway.cache?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of blocking) connection.disconnect();
      redis?.disconnect();
    },
  };
}
