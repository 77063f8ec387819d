import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCacheConfig, type CacheConfig } from '../../src/cache/cache-config.js';
import { createCacheIndex } from '../../src/cache/cache-index.js';
import { createSpeechCache, type SpeechCache } from '../../src/cache/speech-cache.js';
import { parseConfigDocument } from '../../src/config/load-config.js';
import type { Deployment } from '../../src/domain/catalog.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectRedis } from '../../src/redis/connection.js';
import { createFilesystemStore } from '../../src/storage/filesystem-store.js';
import { createUrlSigner } from '../../src/storage/url-signing.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let connections: RedisClient[] = [];
let directory: string;
const logger = createLogger('silent');

beforeAll(async () => {
  redis = await startTestRedis();
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-cache-index-'));
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  connections = [];
  await redis.stop();
  await rm(directory, { recursive: true, force: true });
});

const connect = (): RedisClient => {
  const connection = connectRedis(redis.url);
  connections.push(connection);
  return connection;
};

/** A cache as the composition root makes it, on its own prefix and folder. */
function makeCache(
  settings: Record<string, unknown> = {},
  connection: RedisClient = connect(),
  params: Record<string, unknown> = {},
): { cache: SpeechCache; prefix: string; root: string; config: CacheConfig } {
  const prefix = `${uniquePrefix('cache')}:`;
  const root = join(directory, prefix.replace(/:/g, ''));
  const config = parseConfigDocument(
    {
      model_list: [{ model_name: 'm', litellm_params: { model: 'espeak/en-us' } }],
      litellm_settings: { cache: true, cache_params: { supported_call_types: ['speech'], ...params } },
      cache_settings: { redis_prefix: prefix, ...settings },
    },
    {},
  );
  const resolved = resolveCacheConfig(config).cache;
  if (resolved === undefined) throw new Error('the cache should be on');
  const store = createFilesystemStore({ root, signer: createUrlSigner(async () => 'unused'), now: Date.now });
  return {
    cache: createSpeechCache({ config: resolved, index: createCacheIndex(connection, prefix), store, now: Date.now, logger }),
    prefix,
    root,
    config: resolved,
  };
}

const deployment = { id: 'd1', provider: 'espeak', modelName: 'm', model: 'en-us', params: { model: 'espeak/en-us' } } as unknown as Deployment;

async function fill(cache: SpeechCache, key: string, bytes: number): Promise<void> {
  async function* audio(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(bytes).fill(7);
  }
  for await (const chunk of cache.store(audio(), { key, deployment, contentType: 'audio/mpeg', warnings: [], ttlMs: undefined })) void chunk;
}

async function files(root: string): Promise<number> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((item) => item.isFile() && !item.name.startsWith('.')).length;
}

describe('cache index on real Redis', () => {
  it('evicts the least recently used entries past the size cap, audio included', async () => {
    const { cache, root } = makeCache({ max_size_mb: 3 / 1024 });
    await fill(cache, 'a', 1024);
    await fill(cache, 'b', 1024);
    await fill(cache, 'c', 1024);
    // Reading `a` makes `b` the least recently used.
    expect((await cache.find(['a'], undefined))?.key).toBe('a');
    await fill(cache, 'd', 1024);
    expect(await cache.find(['b'], undefined)).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect((await cache.find([key], undefined))?.key).toBe(key);
    expect(await cache.storedBytes()).toBe(3072);
    expect(await files(root)).toBe(3);
  });

  it('indexes nothing for a stream that failed, and forgets an entry whose audio is gone', async () => {
    const { cache, root, prefix } = makeCache();
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(100);
      throw new Error('upstream cut');
    }
    await expect(async () => {
      for await (const chunk of cache.store(failing(), { key: 'x', deployment, contentType: 'audio/mpeg', warnings: [], ttlMs: undefined })) void chunk;
    }).rejects.toThrow('upstream cut');
    expect(await cache.find(['x'], undefined)).toBeUndefined();
    expect(await files(root)).toBe(0);

    await fill(cache, 'y', 10);
    expect(await connect().exists(`${prefix}{index}:entry:y`)).toBe(1);
    await rm(root, { recursive: true, force: true });
    expect(await cache.find(['y'], undefined)).toBeUndefined();
    expect(await connect().exists(`${prefix}{index}:entry:y`)).toBe(0);
  });

  it('lets one of two instances lead identical misses; the other waits for its entry', async () => {
    const first = makeCache();
    const index = createCacheIndex(connect(), first.prefix);
    // A second instance on its own connection, sharing the prefix and folder, as another process would.
    const second = createSpeechCache({
      config: first.config,
      index,
      store: createFilesystemStore({ root: first.root, signer: createUrlSigner(async () => 'unused'), now: Date.now }),
      now: Date.now,
      logger,
    });
    const signal = new AbortController().signal;
    const leader = await first.cache.join(['k'], undefined, signal);
    expect(leader.kind).toBe('lead');
    const follower = second.join(['k'], undefined, signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fill(first.cache, 'k', 64);
    if (leader.kind === 'lead') await leader.release();
    const joined = await follower;
    expect(joined.kind).toBe('hit');
  });

  it('takes over from a leader that died: its lease lapses', async () => {
    const { cache, prefix } = makeCache({ lock_seconds: 0.3 });
    const index = createCacheIndex(connect(), prefix);
    expect(await index.lead('k', 'a-process-that-died', 300)).toBe(true);
    const started = Date.now();
    const joined = await cache.join(['k'], undefined, new AbortController().signal);
    expect(joined.kind).toBe('lead');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    if (joined.kind === 'lead') await joined.release();
    expect(await index.inFlight('k')).toBe(false);
  });

  it('stops waiting after lock_wait_seconds and calls the provider alone', async () => {
    const { cache, prefix } = makeCache({ lock_wait_seconds: 0.2 });
    const index = createCacheIndex(connect(), prefix);
    expect(await index.lead('k', 'a-slow-leader', 60_000)).toBe(true);
    const joined = await cache.join(['k'], undefined, new AbortController().signal);
    expect(joined.kind).toBe('alone');
  });

  it("plans LiteLLM's controls: default_off needs use-cache, no-cache reads nothing, no-store writes nothing", () => {
    const on = makeCache({}, connect(), { ttl: 60, namespace: 'ivr' }).cache;
    expect(on.plan(undefined)).toEqual({ read: true, write: true, maxAgeMs: undefined, ttlMs: 60_000, namespace: 'ivr' });
    expect(on.plan({ noCache: true, ttlSeconds: 5, namespace: 'other' })).toEqual({
      read: false,
      write: true,
      maxAgeMs: undefined,
      ttlMs: 5000,
      namespace: 'other',
    });
    expect(on.plan({ noStore: true, maxAgeSeconds: 2 })).toMatchObject({ read: true, write: false, maxAgeMs: 2000 });
    expect(on.plan({ noCache: true, noStore: true })).toBeUndefined();
    const off = makeCache({}, connect(), { mode: 'default_off' }).cache;
    expect(off.plan(undefined)).toBeUndefined();
    expect(off.plan({ useCache: true })).toMatchObject({ read: true, write: true });
  });

  it('stops waiting when the caller goes away', async () => {
    const { cache, prefix } = makeCache();
    const index = createCacheIndex(connect(), prefix);
    await index.lead('k', 'another', 60_000);
    const controller = new AbortController();
    const joined = cache.join(['k'], undefined, controller.signal);
    controller.abort(new Error('client disconnected'));
    await expect(joined).rejects.toThrow();
  });
});
