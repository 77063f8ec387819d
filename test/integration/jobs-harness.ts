import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Authenticator } from '../../src/domain/principal.js';
import { composeGateway, type Gateway } from '../../src/compose-gateway.js';
import { parseConfigDocument } from '../../src/config/load-config.js';
import { unauthorized } from '../../src/domain/errors.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectRedis } from '../../src/redis/connection.js';
import type { JobWorkers } from '../../src/worker/start-workers.js';
import { testTools } from '../helpers/tools.js';

/**
 * Three keys: the master, and two others that must not see each other's jobs. Ownership
 * rests on `keyId` alone; the two are not `virtual_key` principals because admitting those
 * needs key records in the governance store, which is not what these tests are about.
 */
export const KEYS = { master: 'sk-master', alice: 'sk-alice', bob: 'sk-bob' } as const;
export const authenticator: Authenticator = {
  async authenticate(token) {
    if (token === KEYS.master) return { kind: 'master', keyId: 'master' };
    if (token === KEYS.alice) return { kind: 'anonymous', keyId: 'key-alice' };
    if (token === KEYS.bob) return { kind: 'anonymous', keyId: 'key-bob' };
    throw unauthorized('Incorrect API key provided.');
  },
};

export interface JobsHarness {
  readonly baseUrl: string;
  readonly gateway: Gateway;
  readonly redis: Redis;
  readonly logs: Array<Record<string, unknown>>;
  startWorkers(): JobWorkers;
  request(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

/** The real application with jobs, composed as the entry point does, on a loopback port. */
export async function startJobsHarness(options: { readonly config: unknown; readonly redisUrl: string }): Promise<JobsHarness> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const redis = connectRedis(options.redisUrl);
  const gateway = composeGateway({
    config: parseConfigDocument(options.config, {}),
    masterKey: KEYS.master,
    tools: testTools(),
    logger: createLogger('info', sink),
    authenticator,
    redis,
  });
  const server: Server = gateway.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workers: JobWorkers[] = [];
  const blocking: Redis[] = [];
  return {
    baseUrl,
    gateway,
    redis,
    logs,
    startWorkers() {
      const jobs = gateway.jobs;
      if (jobs === undefined) throw new Error('the gateway was composed without jobs');
      const connection = connectRedis(options.redisUrl, { blocking: true });
      blocking.push(connection);
      const started = jobs.startWorkers(connection);
      workers.push(started);
      return started;
    },
    async request(method, path, { key = KEYS.master, body, headers = {} } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await gateway.jobs?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of blocking) connection.disconnect();
      redis.disconnect();
    },
  };
}

export interface ReceivedWebhook {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A local webhook receiver; `answer` decides each response's status. */
export async function startWebhookReceiver(
  answer: (attempt: number) => number = () => 200,
): Promise<{ url: string; received: ReceivedWebhook[]; all: Array<ReceivedWebhook & { status: number }>; attempts: () => number; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const all: Array<ReceivedWebhook & { status: number }> = [];
  let attempts = 0;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      attempts += 1;
      const status = answer(attempts);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      const delivery = { headers, body: Buffer.concat(chunks).toString('utf8') };
      all.push({ ...delivery, status });
      if (status >= 200 && status < 300) received.push(delivery);
      response.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/speech`,
    received,
    all,
    attempts: () => attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * A real worker process, as `npm start -- --role worker` runs it, resolved once it says it
 * is running. The caller kills it (keep it in a list for `afterAll`).
 */
export function startWorkerProcess(configPath: string, redisUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'worker', '--config', configPath], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('tts-gateway worker running')) resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`worker exited with ${String(code ?? signal)}: ${output}`)));
  });
}
