import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRouterState } from '../../src/router/state/redis-router-state.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';

/** The routes the web console reads beyond the speech and job API, and the console's own files. */
const MASTER = 'sk-master-console-api';
const CONFIG = {
  model_list: [
    { model_name: 'speech', litellm_params: { model: 'espeak/en-us', rpm: 600 }, model_info: { id: 'speech-a' } },
    { model_name: 'speech', litellm_params: { model: 'espeak/en-gb' }, model_info: { id: 'speech-b' } },
    { model_name: 'other', litellm_params: { model: 'espeak/de' }, model_info: { id: 'other-a' } },
  ],
};

let redis: TestRedis;
let running: RunningGateway;
let virtualKey: string;

interface Deployment {
  id: string;
  model_name: string;
  healthy: boolean;
  in_flight: number;
  latency_ms: number | null;
  cooldown: { until: string; seconds_left: number; reason: string } | null;
}

async function call(path: string, key: string | undefined, init: RequestInit = {}): Promise<Response> {
  return fetch(`${running.baseUrl}${path}`, {
    ...init,
    headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
}

async function deployments(): Promise<Deployment[]> {
  const response = await call('/health/deployments', MASTER);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Deployment[] }).data;
}

beforeAll(async () => {
  redis = await startTestRedis();
  running = await startGateway({ clock: movableClock(), redis: redis.url, config: CONFIG, masterKey: MASTER });
  const generated = await call('/key/generate', MASTER, { method: 'POST', body: JSON.stringify({ models: ['speech'], key_alias: 'reader' }) });
  virtualKey = ((await generated.json()) as { key: string }).key;
});
afterAll(async () => {
  await running?.close();
  await redis?.stop();
});

describe('the console files at /ui', () => {
  it('serves the page without a key, under a policy that allows only its own scripts', async () => {
    const response = await fetch(`${running.baseUrl}/ui/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('<script type="module" src="./app.js"></script>');
    const script = await fetch(`${running.baseUrl}/ui/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('redirects /ui to /ui/ and answers a missing file with the JSON 404', async () => {
    const bare = await fetch(`${running.baseUrl}/ui`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/ui/');
    const missing = await fetch(`${running.baseUrl}/ui/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });
});

describe('GET /health/deployments', () => {
  it('is for the master key alone', async () => {
    expect((await call('/health/deployments', undefined)).status).toBe(401);
    const refused = await call('/health/deployments', virtualKey);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('master_key_required');
  });

  it('shows a cooldown in the shared state, a call in flight while it streams, then its latency', async () => {
    const before = await deployments();
    expect(before.map((deployment) => [deployment.id, deployment.model_name, deployment.healthy, deployment.in_flight, deployment.latency_ms])).toEqual([
      ['speech-a', 'speech', true, 0, null],
      ['speech-b', 'speech', true, 0, null],
      ['other-a', 'other', true, 0, null],
    ]);
    // Another instance cools speech-b down: this one's view comes from the same Redis.
    const elsewhere = createRedisRouterState(running.redis, 'tts-gateway:router');
    await elsewhere.coolDown('speech-b', { untilMs: Date.now() + 600_000, reason: 'rate_limited' }, Date.now());
    // Each process trusts a cooldown it read for 250 ms (create-router-state.ts).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cooled = (await deployments()).find((deployment) => deployment.id === 'speech-b');
    expect(cooled?.healthy).toBe(false);
    expect(cooled?.cooldown?.reason).toBe('rate_limited');
    expect(cooled?.cooldown?.seconds_left).toBeGreaterThan(500);
    expect(cooled?.cooldown?.seconds_left).toBeLessThanOrEqual(600);

    // A long text keeps its call in flight until the audio ends; speech-b is cooling, so speech-a serves it.
    const response = await call('/v1/audio/speech', MASTER, {
      method: 'POST',
      body: JSON.stringify({
        model: 'speech',
        voice: 'alloy',
        response_format: 'pcm',
        input: 'A long sentence to keep the engine busy for a while. '.repeat(200),
      }),
    });
    expect(response.headers.get('x-tts-deployment')).toBe('speech-a');
    const reader = response.body?.getReader();
    await reader?.read();
    expect((await deployments()).find((deployment) => deployment.id === 'speech-a')?.in_flight).toBe(1);
    await reader?.cancel();

    let served: Deployment | undefined;
    for (let tries = 0; tries < 50; tries += 1) {
      served = (await deployments()).find((deployment) => deployment.id === 'speech-a');
      if (served?.in_flight === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(served?.in_flight).toBe(0);
    expect(served?.latency_ms).toBeGreaterThan(0);
    expect(served?.latency_ms).toBeLessThan(10_000);
  });
});

describe('GET /spend/report', () => {
  it('sums spend by day, model, key and end user; a virtual key sees only its own', async () => {
    const speak = async (key: string, model: string, user: string | undefined): Promise<void> => {
      const response = await call('/v1/audio/speech', key, {
        method: 'POST',
        body: JSON.stringify({ model, voice: 'alloy', input: 'Counting the cost.', ...(user === undefined ? {} : { user }) }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    };
    const reportOf = async (key: string, groupBy: string) => {
      const response = await call(`/spend/report?group_by=${groupBy}`, key);
      expect(response.status).toBe(200);
      return (await response.json()) as {
        group_by: string;
        partial: boolean;
        data: Array<{ group: string | null; spend: number; requests: number; characters: number }>;
      };
    };
    await running.gateway.governance.settled();
    const baseline = (await reportOf(MASTER, 'model')).data.find((row) => row.group === 'speech')?.requests ?? 0;
    await speak(MASTER, 'other', 'erin');
    await speak(virtualKey, 'speech', 'erin');
    await speak(virtualKey, 'speech', 'frank');
    await running.gateway.governance.settled();

    const byModel = await reportOf(MASTER, 'model');
    expect(byModel.group_by).toBe('model');
    expect(byModel.partial).toBe(false);
    expect(byModel.data.find((row) => row.group === 'speech')?.requests).toBe(baseline + 2);
    expect(byModel.data.find((row) => row.group === 'other')).toMatchObject({ requests: 1, characters: 'Counting the cost.'.length });

    const byDay = await reportOf(MASTER, 'day');
    expect(byDay.data.map((row) => row.group)).toEqual([...byDay.data.map((row) => row.group)].sort());
    expect(byDay.data.at(-1)?.group).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const byUser = await reportOf(MASTER, 'end_user');
    expect(byUser.data.find((row) => row.group === 'erin')?.requests).toBe(2);
    expect(byUser.data.find((row) => row.group === 'frank')?.requests).toBe(1);

    const byKey = await reportOf(MASTER, 'api_key');
    expect(byKey.data.some((row) => row.group === 'master')).toBe(true);

    const own = await reportOf(virtualKey, 'end_user');
    expect(own.data.map((row) => [row.group, row.requests]).sort()).toEqual([
      ['erin', 1],
      ['frank', 1],
    ]);
    const ownKeys = await reportOf(virtualKey, 'api_key');
    expect(ownKeys.data).toHaveLength(1);
    expect(ownKeys.data[0]?.group).not.toBe('master');
  });

  it('refuses an unknown grouping and a bad date with 400, and a missing key with 401', async () => {
    const grouping = await call('/spend/report?group_by=planet', MASTER);
    expect(grouping.status).toBe(400);
    expect(((await grouping.json()) as { error: { param: string } }).error.param).toBe('group_by');
    const date = await call('/spend/report?start_date=yesterday', MASTER);
    expect(date.status).toBe(400);
    expect((await call('/spend/report', undefined)).status).toBe(401);
  });
});

describe('GET /v1/models/{model}/capabilities', () => {
  it('says what a group takes, and hides groups a key may not use', async () => {
    const response = await call('/v1/models/speech/capabilities', virtualKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; providers: string[]; voices: string[]; response_formats: string[]; instructions: boolean };
    expect(body).toMatchObject({ id: 'speech', providers: ['espeak'], instructions: false });
    expect(body.voices).toContain('alloy');
    expect(body.response_formats).toEqual(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']);
    expect((await call('/v1/models/other/capabilities', virtualKey)).status).toBe(404);
    expect((await call('/v1/models/other/capabilities', MASTER)).status).toBe(200);
    expect((await call('/v1/models/nope/capabilities', MASTER)).status).toBe(404);
  });
});
