import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashVirtualKey } from '../../src/governance/keys/key-secret.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';
import { dumpRedis } from '../helpers/dump-redis.js';

const MASTER = 'sk-master-governance-test';
/** $0.001 a character: "Hello there." (12 characters) costs $0.012. */
const PRICE = 0.001;
const config = (prefix: string) => ({
  model_list: [
    { model_name: 'tts-1', litellm_params: { model: 'espeak/en-us', input_cost_per_character: PRICE } },
    { model_name: 'tts-1-hd', litellm_params: { model: 'espeak/en-us', input_cost_per_character: PRICE } },
  ],
  governance_settings: { redis_prefix: `${prefix}:` },
});

let redis: TestRedis;
const prefix = uniquePrefix('keys');
let running: RunningGateway;
const generatedKeys: string[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  running = await startGateway({ clock: movableClock(), redis: redis.url, config: config(prefix), masterKey: MASTER });
});
afterAll(async () => {
  await running.close();
  await redis.stop();
});

async function call(
  path: string,
  options: { method?: string; key?: string; body?: unknown } = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${running.baseUrl}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers };
}

async function speak(key: string, model = 'tts-1', input = 'Hello there.'): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, input, voice: 'alloy', response_format: 'pcm' }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json =
    response.headers.get('content-type')?.startsWith('application/json') === true
      ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)
      : { bytes: bytes.length };
  // The spend of a request is written once its audio ends; wait for it, as the next request would see it.
  await running.gateway.governance.settled();
  return { status: response.status, json, headers: response.headers };
}

async function generate(body: Record<string, unknown>): Promise<{ key: string; token: string; json: Record<string, unknown> }> {
  const { status, json } = await call('/key/generate', { key: MASTER, body });
  expect(status).toBe(200);
  const key = String(json['key']);
  generatedKeys.push(key);
  return { key, token: String(json['token']), json };
}

function errorOf(json: Record<string, unknown>): { code: string; message: string; type: string } {
  return json['error'] as { code: string; message: string; type: string };
}

describe('virtual keys', () => {
  it('generates a key that works, shown once, stored only by its hash', async () => {
    const { key, token, json } = await generate({ models: ['tts-1'], key_alias: 'reader', metadata: { team: 'docs' }, user_id: 'user-7' });
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{40,}$/);
    expect(token).toBe(hashVirtualKey(key));
    expect(json).toMatchObject({
      models: ['tts-1'],
      key_alias: 'reader',
      metadata: { team: 'docs' },
      user_id: 'user-7',
      max_budget: null,
      rpm_limit: null,
      expires: null,
      spend: 0,
    });
    const spoken = await speak(key);
    expect(spoken.status).toBe(200);
    expect(Number(spoken.headers.get('x-tts-cost-usd'))).toBeCloseTo(12 * PRICE, 10);
    const models = await call('/v1/models', { key });
    expect((models.json['data'] as Array<{ id: string }>).map((model) => model.id)).toEqual(['tts-1']);
  });

  it('refuses a model the key may not use with 403', async () => {
    const { key } = await generate({ models: ['tts-1'] });
    const refused = await speak(key, 'tts-1-hd');
    expect(refused.status).toBe(403);
    expect(errorOf(refused.json)).toMatchObject({ type: 'permission_error', code: 'model_not_allowed' });
    expect(errorOf(refused.json).message).toContain('tts-1-hd');
  });

  it('stops a key at its rpm limit with 429 and Retry-After, and lets it in again the next minute', async () => {
    const { key } = await generate({ rpm_limit: 2 });
    expect((await speak(key)).status).toBe(200);
    expect((await speak(key)).status).toBe(200);
    const limited = await speak(key);
    expect(limited.status).toBe(429);
    expect(errorOf(limited.json)).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(errorOf(limited.json).message).toMatch(/2 requests per minute/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    running.advance(retryAfter * 1000);
    expect((await speak(key)).status).toBe(200);
  });

  it('stops a key at its budget, and its budget_duration starts it afresh', async () => {
    const { key } = await generate({ max_budget: 0.02, budget_duration: '1h' });
    expect((await speak(key)).status).toBe(200);
    expect((await speak(key)).status).toBe(200);
    const info = await call('/key/info', { key });
    expect((info.json['info'] as { spend: number }).spend).toBeCloseTo(0.024, 10);
    const over = await speak(key);
    expect(over.status).toBe(429);
    expect(errorOf(over.json)).toMatchObject({ type: 'rate_limit_error', code: 'budget_exceeded' });
    expect(errorOf(over.json).message).toMatch(/\$0\.024 of \$0\.02/);
    running.advance(3_600_000);
    expect((await speak(key)).status).toBe(200);
  });

  it('refuses an expired key with 401', async () => {
    const { key } = await generate({ duration: '1h' });
    expect((await speak(key)).status).toBe(200);
    running.advance(3_600_001);
    const expired = await speak(key);
    expect(expired.status).toBe(401);
    expect(errorOf(expired.json).message).toMatch(/expired/);
  });

  it('updates a key: models, limits and alias', async () => {
    const { key, token } = await generate({ models: ['tts-1'] });
    expect((await speak(key, 'tts-1-hd')).status).toBe(403);
    const updated = await call('/key/update', { key: MASTER, body: { key: token, models: ['tts-1', 'tts-1-hd'], key_alias: 'renamed', rpm_limit: 100 } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ key: token, models: ['tts-1', 'tts-1-hd'], key_alias: 'renamed', rpm_limit: 100 });
    expect((await speak(key, 'tts-1-hd')).status).toBe(200);
  });

  it('describes a key to the master key (by key or hash) and a key to itself only', async () => {
    const first = await generate({ key_alias: 'first' });
    const second = await generate({ key_alias: 'second' });
    for (const asked of [first.key, first.token]) {
      const info = await call(`/key/info?key=${encodeURIComponent(asked)}`, { key: MASTER });
      expect(info.status).toBe(200);
      expect(info.json).toMatchObject({ key: first.token, info: { key_alias: 'first', token: first.token } });
    }
    expect((await call('/key/info', { key: first.key })).json).toMatchObject({ key: first.token });
    expect((await call(`/key/info?key=${second.token}`, { key: first.key })).status).toBe(403);
  });

  it('lets only the master key manage keys', async () => {
    const { key } = await generate({});
    for (const [path, body] of [
      ['/key/generate', {}],
      ['/key/update', { key, rpm_limit: 1 }],
      ['/key/delete', { keys: [key] }],
    ] as const) {
      const refused = await call(path, { key, body });
      expect(refused.status).toBe(403);
      expect(errorOf(refused.json).code).toBe('master_key_required');
    }
    expect((await call('/key/generate', { body: {} })).status).toBe(401);
  });

  it('refuses unknown fields and unknown models rather than ignoring them', async () => {
    expect((await call('/key/generate', { key: MASTER, body: { tpm_limit: 10 } })).status).toBe(400);
    const unknownModel = await call('/key/generate', { key: MASTER, body: { models: ['whisper-1'] } });
    expect(unknownModel.status).toBe(400);
    expect(errorOf(unknownModel.json).message).toContain('whisper-1');
    expect((await call('/key/generate', { key: MASTER, body: { budget_duration: 'monthly' } })).status).toBe(400);
  });

  it('deletes keys: they stop working and disappear', async () => {
    const { key, token } = await generate({});
    expect((await speak(key)).status).toBe(200);
    const deleted = await call('/key/delete', { key: MASTER, body: { keys: [key] } });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ deleted_keys: [token] });
    const refused = await speak(key);
    expect(refused.status).toBe(401);
    expect((await call(`/key/info?key=${token}`, { key: MASTER })).status).toBe(404);
    expect((await call('/key/delete', { key: MASTER, body: { keys: [token] } })).status).toBe(404);
    expect(await running.redis.exists(`${prefix}:key:${token}`)).toBe(0);
    expect(await running.redis.sismember(`${prefix}:keys`, token)).toBe(0);
  });

  it('never writes a raw key to Redis or to the logs', async () => {
    expect(generatedKeys.length).toBeGreaterThan(5);
    const stored = (await dumpRedis(running.redis)).join('\n');
    // The hashes are there (the store works)...
    expect(stored).toContain(hashVirtualKey(generatedKeys[0] ?? ''));
    const logs = running.rawLogs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const key of [...generatedKeys, MASTER]) {
      // ...but no key, nor the secret part of one.
      const secret = key.slice(3);
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
