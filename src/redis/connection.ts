import { readFileSync } from 'node:fs';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseRedisUrl, type RedisCredentials, type RedisTarget } from '../config/redis-target.js';
import type { RedisClient } from './redis-client.js';

export interface ConnectOptions {
  /**
   * BullMQ needs `maxRetriesPerRequest: null` on the connections its workers block on; other
   * users want commands to fail fast when Redis is away, so callers choose.
   */
  readonly blocking?: boolean;
  readonly name?: string;
}

/**
 * The one place the program opens Redis connections: every user (queues and workers, job
 * records, router state, keys, spend, the rate limiter, the cache) gets its client here, for a
 * single server (`redis://`, `rediss://`), a Cluster or a Sentinel-managed master alike. A
 * string is read as a URL (`redis+cluster://` and `redis+sentinel://` included).
 */
export function connectRedis(target: RedisTarget | string, options: ConnectOptions = {}): RedisClient {
  const resolved = typeof target === 'string' ? parseRedisUrl(target) : target;
  const common = commonOptions(resolved, options);
  switch (resolved.kind) {
    case 'single':
      return new Redis(resolved.url, common);
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: resolved.sentinels.map(({ host, port }) => ({ host, port })),
        name: resolved.name,
        role: 'master',
        ...(resolved.sentinelPassword === undefined ? {} : { sentinelPassword: resolved.sentinelPassword }),
        ...(resolved.tls === undefined ? {} : { enableTLSForSentinelMode: true, sentinelTLS: common.tls ?? {} }),
        // No failoverDetector: ioredis 5.11 ends the client for good when the detector's
        // disconnect lands while it is still asking the Sentinels; reconnecting on the lost
        // master's closed socket finds the promoted one within the Sentinels' down-after time.
        sentinelRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
    case 'cluster':
      return new Cluster(
        resolved.nodes.map(({ host, port }) => ({ host, port })),
        {
          redisOptions: common,
          // The seeds may change as a Cluster fails over; keep retrying, never end the process.
          clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
          retryDelayOnFailover: 200,
          retryDelayOnClusterDown: 300,
          retryDelayOnTryAgain: 200,
          slotsRefreshTimeout: 2000,
          // A node that announces a replica as master must be believed quickly during a failover.
          slotsRefreshInterval: 5000,
          enableReadyCheck: true,
          ...(resolved.tls === undefined ? {} : { dnsLookup: (address, lookup) => lookup(null, address) }),
        } satisfies ClusterOptions,
      );
  }
}

function commonOptions(target: RedisCredentials, options: ConnectOptions): RedisOptions {
  return {
    lazyConnect: false,
    enableReadyCheck: true,
    connectionName: options.name ?? 'tts-gateway',
    maxRetriesPerRequest: options.blocking ? null : 1,
    // Reconnect with a capped backoff forever: a Redis restart must not end the process.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // A master demoted by a failover answers READONLY: reconnect (to the new master) and resend.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls === undefined
      ? {}
      : { tls: { rejectUnauthorized: target.tls.rejectUnauthorized, ...(target.tls.ca === undefined ? {} : { ca: readFileSync(target.tls.ca) }) } }),
  };
}

/** Where a target points, for logs (no credentials). */
export function describeRedisTarget(target: RedisTarget): string {
  switch (target.kind) {
    case 'single':
      return target.url.replace(/\/\/[^@/]*@/, '//');
    case 'cluster':
      return `cluster ${target.nodes.map(({ host, port }) => `${host}:${port}`).join(',')}`;
    case 'sentinel':
      return `sentinel ${target.name} via ${target.sentinels.map(({ host, port }) => `${host}:${port}`).join(',')}`;
  }
}
