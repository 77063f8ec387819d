import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../src/redis/private-redis.js';
import { requireExecutable } from './tools.js';

export interface TestRedis extends PrivateRedis {
  readonly dataDirectory: string;
  /** Stops and starts the same server (same port, same AOF), as a Redis restart would. */
  restart(): Promise<TestRedis>;
}

/** A real redis-server on a free loopback port with its own data folder; `stop()` removes it. */
export async function startTestRedis(existing?: { dataDirectory: string; port: number }): Promise<TestRedis> {
  const dataDirectory = existing?.dataDirectory ?? (await mkdtemp(join(tmpdir(), 'tts-gateway-redis-')));
  const server = await startPrivateRedis({ redisServerPath: requireExecutable('redis-server'), dataDirectory, ...(existing === undefined ? {} : { port: existing.port }) });
  const port = Number(new URL(server.url).port);
  return {
    ...server,
    dataDirectory,
    stop: async () => {
      await server.stop();
      await rm(dataDirectory, { recursive: true, force: true });
    },
    restart: async () => {
      await server.stop();
      return startTestRedis({ dataDirectory, port });
    },
  };
}

/** A prefix no other test shares, for queue names and keys. */
export function uniquePrefix(label: string): string {
  return `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
