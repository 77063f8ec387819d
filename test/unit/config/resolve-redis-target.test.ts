import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseRedisUrl } from '../../../src/config/redis-target.js';
import { resolveRedisTarget } from '../../../src/config/resolve-redis-target.js';
import type { CacheParams } from '../../../src/config/sections/cache.js';

describe('REDIS_URL', () => {
  it('reads one server, a Cluster and a Sentinel-managed master, with credentials and TLS', () => {
    expect(parseRedisUrl('redis://:secret@cache:6380/2')).toEqual({ kind: 'single', url: 'redis://:secret@cache:6380/2', password: 'secret' });
    expect(parseRedisUrl('rediss+cluster://app:p%40ss@a:7000,b:7001,c')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
        { host: 'c', port: 6379 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: { rejectUnauthorized: true },
    });
    expect(parseRedisUrl('redis+sentinel://s1:26379,s2/mymaster')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
    });
  });

  it('takes the CA and certificate checking of a rediss:// URL from REDIS_SSL_CA_CERTS and REDIS_SSL_CERT_REQS', () => {
    expect(resolveRedisTarget({ REDIS_URL: 'rediss://:pw@cache:6380', REDIS_SSL_CA_CERTS: '/etc/ca.pem' }, undefined)).toEqual({
      kind: 'single',
      url: 'rediss://:pw@cache:6380',
      password: 'pw',
      tls: { ca: '/etc/ca.pem', rejectUnauthorized: true },
    });
    expect(resolveRedisTarget({ REDIS_URL: 'rediss://cache:6380', REDIS_SSL_CERT_REQS: 'none' }, undefined)).toMatchObject({
      tls: { rejectUnauthorized: false },
    });
    // A plain redis:// URL stays plain whatever the TLS variables say of a CA.
    expect(resolveRedisTarget({ REDIS_URL: 'redis://cache:6379', REDIS_SSL_CA_CERTS: '/etc/ca.pem' }, undefined)).not.toHaveProperty('tls');
  });

  it('refuses a Sentinel URL without the master name, and what is not a Redis URL', () => {
    expect(() => parseRedisUrl('redis+sentinel://s1:26379')).toThrow(/master name/);
    expect(() => parseRedisUrl('http://cache:6379')).toThrow(ConfigError);
  });
});

describe('LiteLLM variables and cache_params', () => {
  it('takes REDIS_CLUSTER_NODES as JSON or host:port, with REDIS_PASSWORD and REDIS_SSL', () => {
    expect(
      resolveRedisTarget(
        {
          REDIS_CLUSTER_NODES: '[{"host": "a", "port": "7001"}, {"host": "b", "port": 7002}]',
          REDIS_PASSWORD: 'pw',
          REDIS_SSL: true,
          REDIS_SSL_CERT_REQS: 'none',
        },
        undefined,
      ),
    ).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7001 },
        { host: 'b', port: 7002 },
      ],
      password: 'pw',
      tls: { ca: undefined, rejectUnauthorized: false },
    });
    expect(resolveRedisTarget({ REDIS_CLUSTER_NODES: 'a:7001,b:7002' }, undefined)).toMatchObject({ kind: 'cluster', nodes: [{ port: 7001 }, { port: 7002 }] });
  });

  it('takes REDIS_SENTINEL_NODES with REDIS_SERVICE_NAME, and asks for the name when it is missing', () => {
    expect(
      resolveRedisTarget(
        { REDIS_SENTINEL_NODES: '[["s1", 26379], ["s2", "26380"]]', REDIS_SERVICE_NAME: 'mymaster', REDIS_SENTINEL_PASSWORD: 'sp' },
        undefined,
      ),
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'mymaster',
      sentinelPassword: 'sp',
    });
    expect(() => resolveRedisTarget({ REDIS_SENTINEL_NODES: 's1:26379' }, undefined)).toThrow(/REDIS_SERVICE_NAME/);
  });

  it("takes cache_params' redis_startup_nodes or sentinel_nodes + service_name, with their password", () => {
    const cluster = { redis_startup_nodes: [{ host: 'a', port: 7001 }], password: 'pw' } as CacheParams;
    expect(resolveRedisTarget({}, cluster)).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 7001 }], password: 'pw' });
    const sentinel = { sentinel_nodes: [['s1', 26379]], service_name: 'mymaster' } as CacheParams;
    expect(resolveRedisTarget({}, sentinel)).toMatchObject({ kind: 'sentinel', name: 'mymaster', sentinels: [{ host: 's1', port: 26379 }] });
    // The environment names the Redis when it names one; cache_params are then not read for it.
    expect(resolveRedisTarget({ REDIS_URL: 'redis://cache:6379' }, cluster)).toEqual({ kind: 'single', url: 'redis://cache:6379' });
    expect(resolveRedisTarget({}, undefined)).toBeUndefined();
  });

  it('stops the start when two topologies are named at once', () => {
    expect(() => resolveRedisTarget({ REDIS_URL: 'redis://cache', REDIS_CLUSTER_NODES: 'a:7001' }, undefined)).toThrow(/named more than once/);
  });

  it("takes LiteLLM's REDIS_HOST and REDIS_PORT, then router_settings' redis_host, redis_port and redis_password, when nothing else names Redis", () => {
    expect(resolveRedisTarget({ REDIS_HOST: 'cache', REDIS_PORT: 6380, REDIS_PASSWORD: 'pw' }, undefined)).toEqual({
      kind: 'single',
      url: 'redis://cache:6380',
      password: 'pw',
    });
    const router = { redis_host: 'router-cache', redis_port: 7000, redis_password: 'rp' };
    expect(resolveRedisTarget({}, undefined, router)).toEqual({ kind: 'single', url: 'redis://router-cache:7000', password: 'rp' });
    expect(resolveRedisTarget({}, undefined, { redis_host: '::1' })).toEqual({ kind: 'single', url: 'redis://[::1]:6379' });
    // The environment's host wins over the config's, and its port goes with it.
    expect(resolveRedisTarget({ REDIS_HOST: 'cache' }, undefined, router)).toEqual({ kind: 'single', url: 'redis://cache:6379', password: 'rp' });
    // A URL or a topology names the Redis first.
    expect(resolveRedisTarget({ REDIS_URL: 'redis://url-cache:6379' }, undefined, router)).toEqual({ kind: 'single', url: 'redis://url-cache:6379' });
    expect(resolveRedisTarget({}, undefined, { redis_port: 7000 })).toBeUndefined();
  });
});
