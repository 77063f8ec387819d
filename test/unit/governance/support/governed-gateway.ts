import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../../../src/redis/connection.js';
import { composeGateway, type Gateway } from '../../../../src/compose-gateway.js';
import type { QueueDepthSource } from '../../../../src/domain/events.js';
import { parseConfigDocument } from '../../../../src/config/load-config.js';
import { createLogger } from '../../../../src/logging/logger.js';
import { testTools } from '../../../helpers/tools.js';

export interface GovernedGateway {
  readonly baseUrl: string;
  readonly gateway: Gateway;
  readonly redis: Redis;
  /** Every log line, parsed, and as written. */
  readonly logs: Array<Record<string, unknown>>;
  readonly rawLogs: string[];
  /** Moves the gateway's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface GovernedGatewayOptions {
  readonly redisUrl?: string;
  readonly config: unknown;
  readonly environment?: Record<string, string>;
  readonly masterKey?: string;
  /** The clock starts here; by default at the start of the next minute, so rpm windows are predictable. */
  readonly startAt?: number;
  readonly queueDepth?: QueueDepthSource;
}

/** The application composed as the entry point does, with Redis (when given) and a clock the test can move. */
export async function startGovernedGateway(options: GovernedGatewayOptions): Promise<GovernedGateway> {
  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const realStart = Date.now();
  const startAt = options.startAt ?? (Math.floor(realStart / 60_000) + 1) * 60_000;
  let offset = 0;
  const now = (): number => startAt + (Date.now() - realStart) + offset;
  const redis = options.redisUrl === undefined ? undefined : connectRedis(options.redisUrl);
  const gateway = composeGateway({
    config: parseConfigDocument(options.config, options.environment ?? {}),
    masterKey: options.masterKey,
    tools: testTools(),
    logger: createLogger('info', sink),
    now,
    ...(redis === undefined ? {} : { redis }),
    ...(options.queueDepth === undefined ? {} : { queueDepth: options.queueDepth }),
  });
  const server: Server = gateway.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    gateway,
    redis: redis as Redis,
    logs,
    rawLogs,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      await gateway.governance.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis?.disconnect();
    },
  };
}

/** Every key and value in Redis, as text, to look for what must never be stored. */
export async function dumpRedis(redis: Redis): Promise<string[]> {
  const texts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      texts.push(key);
      const type = await redis.type(key);
      if (type === 'string') texts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') texts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'set') texts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') texts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'list') texts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'stream') texts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else throw new Error(`cannot read Redis key ${key} of type ${type}`);
    }
  } while (cursor !== '0');
  return texts;
}
