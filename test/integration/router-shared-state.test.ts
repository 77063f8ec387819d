import type { RedisClient } from '../../src/redis/redis-client.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigDocument } from '../../src/config/load-config.js';
import { buildCatalog, type Deployment } from '../../src/domain/catalog.js';
import { primeStream } from '../../src/core/prime-stream.js';
import { builtInProviders } from '../../src/providers/built-in.js';
import { createBinaryEspeakEngine } from '../../src/providers/espeak/espeak-engine.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { connectRedis } from '../../src/redis/connection.js';
import { freePort } from '../../src/redis/private-redis.js';
import { createRouter, type Router } from '../../src/router/router.js';
import { NoDeploymentAvailableError } from '../../src/router/routing-errors.js';
import { createRedisRouterState } from '../../src/router/state/redis-router-state.js';
import { createRouterState } from '../../src/router/state/create-router-state.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { requireExecutable } from '../helpers/tools.js';
import { createUpstreamAgent } from '../../src/providers/shared/upstream-agent.js';

let redis: TestRedis;
let fakeA: FakeServer;
let fakeB: FakeServer;
const connections: RedisClient[] = [];

beforeAll(async () => {
  [redis, fakeA, fakeB] = await Promise.all([startTestRedis(), startOpenAIFake(), startOpenAIFake()]);
});
afterAll(async () => {
  await Promise.all([redis.stop(), fakeA.close(), fakeB.close()]);
});
afterEach(() => {
  fakeA.reset();
  fakeB.reset();
  for (const connection of connections.splice(0)) connection.disconnect();
});

function connect(url = redis.url): RedisClient {
  const connection = connectRedis(url, { name: 'router-test' });
  // A refused connection is expected in the outage tests; the router's own timeouts handle it.
  connection.on('error', () => undefined);
  connections.push(connection);
  return connection;
}

function catalogFor(routerSettings: Record<string, unknown>, deploymentParams: { a?: Record<string, unknown>; b?: Record<string, unknown> } = {}) {
  const config = parseConfigDocument(
    {
      model_list: [
        {
          model_name: 'tts',
          litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/KEY', api_base: `${fakeA.baseUrl}/v1`, ...deploymentParams.a },
          model_info: { id: 'a' },
        },
        {
          model_name: 'tts',
          litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/KEY', api_base: `${fakeB.baseUrl}/v1`, ...deploymentParams.b },
          model_info: { id: 'b' },
        },
      ],
      router_settings: routerSettings,
    },
    { KEY: FAKE_OPENAI_API_KEY },
  );
  const catalog = buildCatalog(config, createProviderRegistry(builtInProviders), {
    dispatcher: createUpstreamAgent(),
    fetch: globalThis.fetch,
    espeakEngine: createBinaryEspeakEngine(requireExecutable('espeak-ng')),
  });
  return { catalog, settings: config.router_settings };
}

/** One real upstream call through the adapter, its audio read to the end. */
async function speak(deployment: Deployment, signal: AbortSignal): Promise<string> {
  const result = await deployment.adapter.synthesize({ input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal });
  const audio = await primeStream(result.audio);
  for await (const chunk of audio) expect(chunk.length).toBeGreaterThan(0);
  return deployment.id;
}

/**
 * Shared state for the tests of sharing: a Redis that answers late under a loaded machine is
 * still the shared state here (the default 150 ms would let the router fall back to its local
 * state, which the outage tests below cover).
 */
const sharedState = (prefix: string) => createRouterState({ redis: connect(), keyPrefix: prefix, timeoutMs: 10_000 });

const call = (router: Router) => router.route({ modelName: 'tts', inputCharacters: 12, signal: new AbortController().signal, voice: 'alloy' }, speak);

describe('router state shared through Redis', () => {
  it('two routers with separate connections respect one cooldown', async () => {
    const prefix = uniquePrefix('router');
    const { catalog, settings } = catalogFor({ cooldown_time: 60, redis_key_prefix: prefix });
    const clock = { now: 1_700_000_000_000 };
    // Router one always tries `a` first; it is rate limited there and cools it for the hint.
    const first = createRouter({ catalog, settings, random: () => 0, now: () => clock.now, state: sharedState(prefix) });
    const second = createRouter({
      catalog,
      settings,
      random: () => 0,
      now: () => clock.now,
      state: sharedState(prefix),
    });
    // Both connections ready first, as a gateway's are once it serves: a Cluster client still
    // learning its slots would otherwise send the first reads to the state timeout.
    await Promise.all(connections.map((connection) => connection.ping()));
    fakeA.inject({ kind: 'rate_limited', retryAfterSeconds: 20 });
    const served = await call(first);
    expect(served.attempts.map((attempt) => `${attempt.deploymentId}:${attempt.outcome}`)).toEqual(['a:rate_limited', 'b:success']);

    for (let index = 0; index < 5; index += 1) expect((await call(second)).deployment.id).toBe('b');
    expect(fakeA.requests).toHaveLength(1);

    clock.now += 20_000;
    expect((await call(second)).deployment.id).toBe('a');
    expect(fakeA.requests).toHaveLength(2);
  });

  it('two routers share one rpm budget under usage-based routing', async () => {
    const prefix = uniquePrefix('router');
    const { catalog, settings } = catalogFor({ routing_strategy: 'usage-based-routing-v2', redis_key_prefix: prefix }, { a: { rpm: 4 }, b: { rpm: 6 } });
    const now = (): number => 1_700_000_010_000;
    const routers = [0, 1].map(() => createRouter({ catalog, settings, random: Math.random, now, state: sharedState(prefix) }));
    const results = await Promise.allSettled(Array.from({ length: 16 }, (_unused, index) => call(routers[index % 2] as Router)));
    const served = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(served).toHaveLength(10);
    expect(fakeA.requests).toHaveLength(4);
    expect(fakeB.requests).toHaveLength(6);
    for (const result of refused) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(NoDeploymentAvailableError);
      expect(((result as PromiseRejectedResult).reason as NoDeploymentAvailableError).reason).toBe('rate_limited');
    }
  });

  it('reserves rpm atomically: of many concurrent reservations from two connections, exactly rpm succeed', async () => {
    const prefix = uniquePrefix('reserve');
    const states = [createRedisRouterState(connect(), prefix), createRedisRouterState(connect(), prefix)];
    const now = 1_700_000_020_000;
    const granted = await Promise.all(Array.from({ length: 60 }, (_unused, index) => states[index % 2]?.reserve('d', 10, { rpm: 25, tpm: 1000 }, now)));
    expect(granted.filter(Boolean)).toHaveLength(25);
    expect((await states[0]?.usage(['d'], now))?.get('d')).toEqual({ requests: 25, characters: 250 });
  });

  it('keeps serving on local state when Redis is unreachable', async () => {
    const deadPort = await freePort();
    const { catalog, settings } = catalogFor({ cooldown_time: 60 });
    const router = createRouter({
      catalog,
      settings,
      random: () => 0,
      now: Date.now,
      state: createRouterState({ redis: connect(`redis://127.0.0.1:${deadPort}`), keyPrefix: uniquePrefix('down'), timeoutMs: 100 }),
    });
    fakeA.inject({ kind: 'rate_limited', retryAfterSeconds: 30 });
    expect((await call(router)).deployment.id).toBe('b');
    // The cooldown lives on locally while Redis is away.
    for (let index = 0; index < 3; index += 1) expect((await call(router)).deployment.id).toBe('b');
    expect(fakeA.requests).toHaveLength(1);
  });

  it('keeps serving when Redis goes away mid-way', async () => {
    const own = await startTestRedis();
    try {
      const prefix = uniquePrefix('restart');
      const { catalog, settings } = catalogFor({ redis_key_prefix: prefix });
      const connection = connect(own.url);
      const router = createRouter({
        catalog,
        settings,
        random: () => 0,
        now: Date.now,
        state: createRouterState({ redis: connection, keyPrefix: prefix, timeoutMs: 100, retryIntervalMs: 50 }),
      });
      expect((await call(router)).deployment.id).toBe('a');
      await own.stop();
      expect((await call(router)).deployment.id).toBe('a');
    } finally {
      await own.stop();
    }
  });
});
