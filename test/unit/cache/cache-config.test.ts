import { describe, expect, it } from 'vitest';
import { cacheControlOf } from '../../../src/api/cache-control.js';
import { resolveCacheConfig } from '../../../src/cache/cache-config.js';
import { cacheKeyOf, cacheObjectKey } from '../../../src/cache/cache-key.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseConfigDocument } from '../../../src/config/load-config.js';
import type { Deployment } from '../../../src/domain/catalog.js';
import { ApiError } from '../../../src/domain/errors.js';

const configWith = (litellm: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseConfigDocument({ model_list: [{ model_name: 'm', litellm_params: { model: 'espeak/en-us' } }], litellm_settings: litellm, ...extra }, {});

describe('litellm_settings.cache for speech', () => {
  it('is off by default and without speech in supported_call_types, saying why', () => {
    expect(resolveCacheConfig(configWith({}))).toEqual({ cache: undefined, warnings: [] });
    const noSpeech = resolveCacheConfig(configWith({ cache: true }));
    expect(noSpeech.cache).toBeUndefined();
    expect(noSpeech.warnings[0]).toMatch(/supported_call_types does not list "speech" or "aspeech"/);
    expect(resolveCacheConfig(configWith({ cache: true, cache_params: { supported_call_types: ['acompletion'] } })).cache).toBeUndefined();
  });

  it('maps type, namespace, ttl and mode, with the shared store for redis', () => {
    const { cache, warnings } = resolveCacheConfig(
      configWith({
        cache: true,
        cache_params: { type: 'redis', namespace: 'ivr', ttl: 600, mode: 'default_off', supported_call_types: ['aspeech'], host: 'redis.internal' },
      }),
    );
    expect(cache).toMatchObject({ storage: { kind: 'shared' }, namespace: 'ivr', ttlSeconds: 600, mode: 'default_off', objectPrefix: 'cache' });
    expect(warnings).toEqual([expect.stringMatching(/cache_params\.host: accepted without effect; the cache index uses the gateway's Redis/)]);
  });

  it('gives s3 and disk their own store', () => {
    const s3 = resolveCacheConfig(
      configWith({
        cache: true,
        cache_params: {
          type: 's3',
          s3_bucket_name: 'tts-cache',
          s3_region_name: 'eu-west-1',
          s3_endpoint_url: 'http://127.0.0.1:9000',
          s3_path: '/speech/',
          supported_call_types: ['speech'],
        },
      }),
    ).cache;
    expect(s3?.storage).toMatchObject({ kind: 'own', settings: { driver: 's3', bucket: 'tts-cache', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000' } });
    expect(s3?.objectPrefix).toBe('speech');
    const disk = resolveCacheConfig(
      configWith({ cache: true, cache_params: { type: 'disk', disk_cache_dir: '/var/cache/tts', supported_call_types: ['speech'] } }),
    ).cache;
    expect(disk?.storage).toMatchObject({ kind: 'own', settings: { driver: 'filesystem', path: '/var/cache/tts' } });
  });

  it('stops the start for a cache type that cannot hold audio, or an s3 cache without a bucket', () => {
    expect(() => resolveCacheConfig(configWith({ cache: true, cache_params: { type: 'qdrant-semantic', supported_call_types: ['speech'] } }))).toThrow(
      ConfigError,
    );
    expect(() => resolveCacheConfig(configWith({ cache: true, cache_params: { type: 's3', supported_call_types: ['speech'] } }))).toThrow(/s3_bucket_name/);
  });
});

describe('per-request cache controls', () => {
  it('reads LiteLLM body controls and Cache-Control, the body winning', () => {
    expect(cacheControlOf(undefined, undefined)).toBeUndefined();
    expect(cacheControlOf({ 'no-cache': true, ttl: 30, 's-maxage': 5, namespace: 'a', 'use-cache': true }, undefined)).toEqual({
      noCache: true,
      ttlSeconds: 30,
      maxAgeSeconds: 5,
      namespace: 'a',
      useCache: true,
    });
    expect(cacheControlOf(undefined, 'No-Store, max-age=60, private')).toEqual({ noStore: true, maxAgeSeconds: 60 });
    expect(cacheControlOf({ 'no-cache': false }, 'no-cache')).toEqual({ noCache: false });
    expect(cacheControlOf({ 's-max-age': 9 }, undefined)).toEqual({ maxAgeSeconds: 9 });
    expect(() => cacheControlOf(undefined, 'max-age=soon')).toThrow(ApiError);
  });
});

describe('cache keys', () => {
  const deployment = (params: Record<string, unknown>, provider = 'openai', id = 'd'): Deployment =>
    ({ id, provider, modelName: 'g', model: 'tts-1', params: { model: `${provider}/tts-1`, ...params } }) as unknown as Deployment;
  const fields = { input: 'Hello there.', voice: 'alloy', format: 'mp3' as const, speed: 1, instructions: undefined };

  it('leave out credentials, endpoints and routing, keep provider options', () => {
    const base = cacheKeyOf(deployment({ api_key: 'sk-1', api_base: 'https://a.example/v1', rpm: 10 }), fields, undefined);
    expect(cacheKeyOf(deployment({ api_key: 'sk-2', api_base: 'https://b.example/v1', rpm: 99, weight: 2 }, 'openai', 'other'), fields, undefined)).toBe(base);
    expect(cacheKeyOf(deployment({ api_key: 'sk-1', language_code: 'en-GB' }), fields, undefined)).not.toBe(base);
    expect(cacheKeyOf(deployment({}, 'azure'), fields, undefined)).not.toBe(cacheKeyOf(deployment({}), fields, undefined));
    expect(cacheKeyOf(deployment({ api_base: 'https://one.openai.azure.com' }, 'azure'), fields, undefined)).not.toBe(
      cacheKeyOf(deployment({ api_base: 'https://two.openai.azure.com' }, 'azure'), fields, undefined),
    );
  });

  it('normalise only trailing whitespace and line ends, and carry the namespace', () => {
    const key = cacheKeyOf(deployment({}), fields, undefined);
    expect(cacheKeyOf(deployment({}), { ...fields, input: 'Hello there. \r\n' }, undefined)).toBe(key);
    expect(cacheKeyOf(deployment({}), { ...fields, input: ' Hello there.' }, undefined)).not.toBe(key);
    expect(cacheKeyOf(deployment({}), { ...fields, input: 'hello there.' }, undefined)).not.toBe(key);
    expect(cacheKeyOf(deployment({}), fields, 'ivr')).toBe(`ivr:${key}`);
    expect(cacheObjectKey('cache', `ivr:${key}`)).toMatch(/^cache\/[0-9a-f]{2}\/[0-9a-f]{64}\.audio$/);
  });
});
