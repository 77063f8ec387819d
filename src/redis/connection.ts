import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection from a URL (`redis://`, `rediss://`). BullMQ needs
 * `maxRetriesPerRequest: null` on the connections its workers block on; other users want
 * commands to fail fast when Redis is away, so callers choose.
 */
export function connectRedis(url: string, options: { readonly blocking?: boolean; readonly name?: string } = {}): Redis {
  const settings: RedisOptions = {
    lazyConnect: false,
    enableReadyCheck: true,
    connectionName: options.name ?? 'tts-gateway',
    maxRetriesPerRequest: options.blocking ? null : 1,
    // Reconnect with a capped backoff forever: a Redis restart must not end the process.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  return new Redis(url, settings);
}
