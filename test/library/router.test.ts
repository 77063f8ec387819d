import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/redis/connection.js';
import { ConfigError, createRouter, loadConfig, NotFoundError } from '../../src/library/index.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let failing: FakeServer;
let healthy: FakeServer;
let directory: string;
const connections: RedisClient[] = [];

beforeAll(async () => {
  [redis, failing, healthy] = await Promise.all([startTestRedis(), startOpenAIFake(), startOpenAIFake()]);
  directory = await mkdtemp(join(tmpdir(), 'tts-router-'));
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await Promise.all([redis.stop(), failing.close(), healthy.close(), rm(directory, { recursive: true, force: true })]);
});
afterEach(() => {
  failing.reset();
  healthy.reset();
  failing.behaviour.failureRate = 0;
});

const deployment = (name: string, fake: FakeServer, id: string) => ({
  model_name: name,
  litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` },
  model_info: { id },
});

describe('createRouter', () => {
  it('takes the configured fallback when every deployment of the group fails', async () => {
    failing.behaviour.failureRate = 1;
    failing.behaviour.randomFailure = { kind: 'server_error', status: 503 };
    const router = createRouter({
      model_list: [deployment('primary', failing, 'primary-openai'), { model_name: 'backup', litellm_params: { model: 'espeak/en-us' } }],
      router_settings: { num_retries: 1, fallbacks: [{ primary: ['backup'] }] },
    });
    expect(router.modelNames).toEqual(['primary', 'backup']);
    const response = await router.speech({ model: 'primary', voice: 'alloy', input: 'Served by the fallback.' });
    expect(response.deployment).toMatchObject({ modelName: 'backup', provider: 'espeak' });
    // With a fallback to go to, the router does not wait for the lone failing deployment.
    expect(response.attempts.map((attempt) => [attempt.modelName, attempt.outcome === 'success'])).toEqual([
      ['primary', false],
      ['backup', true],
    ]);
    expect(failing.requests).toHaveLength(1);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('shares cooldowns with every router (and server) on the same Redis', async () => {
    const prefix = uniquePrefix('library-router');
    const config = {
      model_list: [deployment('speech', failing, 'limited'), deployment('speech', healthy, 'healthy')],
      router_settings: { num_retries: 1, redis_key_prefix: prefix },
    };
    failing.behaviour.failureRate = 1;
    failing.behaviour.randomFailure = { kind: 'rate_limited', retryAfterSeconds: 60 };
    const connect = (): RedisClient => {
      const connection = connectRedis(redis.url, { name: 'library-router-test' });
      connections.push(connection);
      return connection;
    };
    const first = createRouter({ ...config, redis: connect() });
    // Until the shuffle has tried the rate-limited deployment once; it then cools down for its hint.
    for (let call = 0; failing.requests.length === 0 && call < 40; call += 1) {
      (await first.speech({ model: 'speech', voice: 'alloy', input: 'x' })).cancel();
    }
    expect(failing.requests).toHaveLength(1);
    const keys = await connect().keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);

    // Another router, another state object, the same Redis: it never calls the cooling deployment.
    const second = createRouter(config, { redis: connect() });
    for (let call = 0; call < 20; call += 1) {
      const response = await second.speech({ model: 'speech', voice: 'alloy', input: 'y' });
      expect(response.deployment.id).toBe('healthy');
      response.cancel();
    }
    expect(failing.requests).toHaveLength(1);

    // Without Redis the state is this router's own: it has not heard of the cooldown.
    const alone = createRouter(config);
    for (let call = 0; failing.requests.length === 1 && call < 40; call += 1) (await alone.speech({ model: 'speech', voice: 'alloy', input: 'z' })).cancel();
    expect(failing.requests).toHaveLength(2);
  });

  it('runs on a config read by the server loader (loadConfig), os.environ references included', async () => {
    const path = join(directory, 'config.yaml');
    await writeFile(
      path,
      [
        'model_list:',
        '  - model_name: narrator',
        '    litellm_params:',
        '      model: openai/tts-1',
        '      api_key: os.environ/NARRATOR_KEY',
        `      api_base: ${healthy.baseUrl}/v1`,
      ].join('\n'),
    );
    const config = await loadConfig(path, { NARRATOR_KEY: FAKE_OPENAI_API_KEY });
    const router = createRouter(config);
    const response = await router.speech({ model: 'narrator', voice: 'echo', input: 'From a file.' });
    expect(healthy.lastRequest().headers['authorization']).toBe(`Bearer ${FAKE_OPENAI_API_KEY}`);
    response.cancel();
    expect(router.capabilities('narrator')).toMatchObject({ id: 'narrator', providers: ['openai'], instructions: false });
    expect(() => router.capabilities('nope')).toThrow(NotFoundError);

    const missing = await loadConfig(path, {}).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).problems).toEqual([
      expect.stringMatching(/^model_list\.0\.litellm_params\.api_key: environment variable NARRATOR_KEY is not set/),
    ]);
  });

  it('lists every problem of a bad model_list, as the server does at start', () => {
    const error = (() => {
      try {
        createRouter({ model_list: [{ model_name: 'a', litellm_params: { model: 'espeak/en-us', rpm: -1 } }], router_settings: { fallbacks: [{ a: ['b'] }] } });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toContain('model_list.0.litellm_params.rpm');
  });

  it('refuses a model that is not a group of the config with a 404', async () => {
    const router = createRouter({ model_list: [{ model_name: 'local', litellm_params: { model: 'espeak/en-us' } }] });
    await expect(router.speech({ model: 'other', voice: 'alloy', input: 'x' })).rejects.toMatchObject({ name: 'NotFoundError', status: 404, param: 'model' });
  });
});
