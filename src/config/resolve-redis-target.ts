import { ConfigError } from './config-error.js';
import type { CacheParams } from './sections/cache.js';
import { nodesFrom, parseNodeList, parseRedisUrl, type RedisCredentials, type RedisTarget } from './redis-target.js';

/** The environment variables that name Redis (LiteLLM's names). */
export interface RedisEnvironment {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_HOST?: string | undefined;
  readonly REDIS_PORT?: number | undefined;
  readonly REDIS_CLUSTER_NODES?: string | undefined;
  readonly REDIS_SENTINEL_NODES?: string | undefined;
  readonly REDIS_SERVICE_NAME?: string | undefined;
  readonly REDIS_USERNAME?: string | undefined;
  readonly REDIS_PASSWORD?: string | undefined;
  readonly REDIS_SENTINEL_PASSWORD?: string | undefined;
  readonly REDIS_SSL?: boolean | undefined;
  readonly REDIS_SSL_CA_CERTS?: string | undefined;
  readonly REDIS_SSL_CERT_REQS?: 'required' | 'none' | undefined;
}

/** LiteLLM's Router Redis in `router_settings`. */
export interface RouterRedisSettings {
  readonly redis_host?: string | undefined;
  readonly redis_port?: number | undefined;
  readonly redis_password?: string | undefined;
}

/**
 * Which Redis the program uses, from the environment first, then LiteLLM's `cache_params`
 * (`redis_startup_nodes` for a Cluster, `sentinel_nodes` + `service_name` for Sentinel), since
 * one Redis holds the queues, records, state and cache alike. Two topologies named at once stop
 * the start: a silent choice would split the fleet. Without any of them, LiteLLM's host and port
 * name one server, as LiteLLM reads them when it has no URL: `REDIS_HOST` and `REDIS_PORT`, then
 * `router_settings.redis_host` and `redis_port` (6379 by default). Undefined when nothing names one.
 */
export function resolveRedisTarget(
  environment: RedisEnvironment,
  cacheParams: CacheParams | undefined,
  routerSettings: RouterRedisSettings = {},
): RedisTarget | undefined {
  const named: Array<{ source: string; target: () => RedisTarget }> = [];
  if (environment.REDIS_URL !== undefined) named.push({ source: 'REDIS_URL', target: () => parseRedisUrl(environment.REDIS_URL as string) });
  if (environment.REDIS_CLUSTER_NODES !== undefined)
    named.push({
      source: 'REDIS_CLUSTER_NODES',
      target: () => ({ kind: 'cluster', nodes: parseNodeList(environment.REDIS_CLUSTER_NODES as string, 6379, 'REDIS_CLUSTER_NODES') }),
    });
  if (environment.REDIS_SENTINEL_NODES !== undefined)
    named.push({
      source: 'REDIS_SENTINEL_NODES',
      target: () => ({
        kind: 'sentinel',
        sentinels: parseNodeList(environment.REDIS_SENTINEL_NODES as string, 26379, 'REDIS_SENTINEL_NODES'),
        name: required(environment.REDIS_SERVICE_NAME, 'REDIS_SENTINEL_NODES needs REDIS_SERVICE_NAME, the name of the master the Sentinels watch'),
      }),
    });
  if (named.length === 0 && cacheParams !== undefined) {
    const { redis_startup_nodes: startupNodes, sentinel_nodes: sentinelNodes, service_name: serviceName } = cacheParams;
    if (startupNodes !== undefined)
      named.push({
        source: 'cache_params.redis_startup_nodes',
        target: () => ({ kind: 'cluster', nodes: nodesFrom(startupNodes, 'cache_params.redis_startup_nodes') }),
      });
    if (sentinelNodes !== undefined)
      named.push({
        source: 'cache_params.sentinel_nodes',
        target: () => ({
          kind: 'sentinel',
          sentinels: nodesFrom(sentinelNodes, 'cache_params.sentinel_nodes'),
          name: required(serviceName, 'cache_params.sentinel_nodes needs cache_params.service_name, the name of the master the Sentinels watch'),
        }),
      });
  }
  if (named.length > 1) throw new ConfigError([`Redis is named more than once (${named.map((entry) => entry.source).join(', ')}): name one`]);
  const [only] = named;
  if (only === undefined) return byHostAndPort(environment, routerSettings);
  const target = only.target();
  const credentials = credentialsFrom(environment, only.source.startsWith('cache_params') ? cacheParams : undefined);
  // What the URL itself says wins over the separate variables; a `rediss://` URL still takes its
  // CA and certificate checking from REDIS_SSL_CA_CERTS and REDIS_SSL_CERT_REQS, which a URL cannot say.
  const tls = target.tls === undefined ? undefined : tlsFrom(environment);
  return {
    ...credentials,
    ...target,
    ...(tls === undefined ? {} : { tls }),
    ...(target.kind === 'sentinel' ? { sentinelPassword: environment.REDIS_SENTINEL_PASSWORD ?? cacheParams?.sentinel_password } : {}),
  } as RedisTarget;
}

function byHostAndPort(environment: RedisEnvironment, settings: RouterRedisSettings): RedisTarget | undefined {
  const fromEnvironment = environment.REDIS_HOST !== undefined;
  const host = environment.REDIS_HOST ?? settings.redis_host;
  if (host === undefined) return undefined;
  const port = (fromEnvironment ? environment.REDIS_PORT : settings.redis_port) ?? 6379;
  const password = environment.REDIS_PASSWORD ?? settings.redis_password;
  const credentials = credentialsFrom({ ...environment, REDIS_PASSWORD: password }, undefined);
  // An IPv6 address goes in brackets in a URL.
  return { kind: 'single', url: `redis://${host.includes(':') ? `[${host}]` : host}:${port}`, ...credentials };
}

function credentialsFrom(environment: RedisEnvironment, cacheParams: CacheParams | undefined): RedisCredentials {
  const username = environment.REDIS_USERNAME ?? cacheParams?.username;
  const password = environment.REDIS_PASSWORD ?? cacheParams?.password;
  const tls = environment.REDIS_SSL ?? cacheParams?.ssl ?? false;
  return {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(tls ? { tls: tlsFrom(environment) } : {}),
  };
}

function tlsFrom(environment: RedisEnvironment): NonNullable<RedisCredentials['tls']> {
  return { ca: environment.REDIS_SSL_CA_CERTS, rejectUnauthorized: environment.REDIS_SSL_CERT_REQS !== 'none' };
}

function required(value: string | undefined, problem: string): string {
  if (value === undefined || value === '') throw new ConfigError([problem]);
  return value;
}
