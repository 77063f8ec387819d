import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpendRow } from '../../src/governance/spend/spend-row.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startTestS3, testS3Client } from '../helpers/services.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';

const MASTER = 'sk-master-cache-test';
const BUCKET = 'speech-cache';

interface Driver {
  readonly name: 'filesystem' | 's3';
  readonly storage: Record<string, unknown>;
  /** Every object the cache holds in storage. */
  objects(): Promise<string[]>;
  close(): Promise<void>;
}

async function filesystemDriver(): Promise<Driver> {
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-cache-'));
  return {
    name: 'filesystem',
    storage: { driver: 'filesystem', path: directory },
    async objects() {
      const entries = await readdir(join(directory, 'cache'), { recursive: true, withFileTypes: true }).catch(() => []);
      return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    },
    close: () => rm(directory, { recursive: true, force: true }),
  };
}

async function s3Driver(): Promise<Driver> {
  const s3 = await startTestS3(BUCKET);
  const client = testS3Client(s3);
  return {
    name: 's3',
    storage: { driver: 's3', bucket: BUCKET, endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey },
    async objects() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'cache/' }));
      return (listed.Contents ?? []).map((object) => object.Key ?? '');
    },
    close: async () => {
      client.destroy();
      await s3.stop();
    },
  };
}

describe.each([{ make: filesystemDriver }, { make: s3Driver }])('speech cache on real Redis ($make.name)', ({ make }) => {
  let redis: TestRedis;
  let fake: FakeServer;
  let driver: Driver;
  let running: RunningGateway;
  let prefix: string;

  beforeAll(async () => {
    [redis, fake, driver] = await Promise.all([startTestRedis(), startOpenAIFake(), make()]);
    prefix = `${uniquePrefix('cache')}:`;
    running = await startGateway({
      clock: movableClock(),
      redis: redis.url,
      masterKey: MASTER,
      environment: { OPENAI_API_KEY: FAKE_OPENAI_API_KEY },
      config: {
        model_list: [
          {
            model_name: 'voice',
            litellm_params: { model: 'openai/gpt-4o-mini-tts', api_key: 'os.environ/OPENAI_API_KEY', api_base: `${fake.baseUrl}/v1` },
            model_info: { id: 'voice-openai' },
          },
          // Another group on the same provider model and settings: it shares entries with `voice`.
          {
            model_name: 'voice-alias',
            litellm_params: { model: 'openai/gpt-4o-mini-tts', api_key: 'os.environ/OPENAI_API_KEY', api_base: `${fake.baseUrl}/v1` },
            model_info: { id: 'alias-openai' },
          },
        ],
        storage_settings: driver.storage,
        governance_settings: { redis_prefix: `${uniquePrefix('governance')}:` },
        litellm_settings: { cache: true, cache_params: { type: 'redis', supported_call_types: ['aspeech', 'speech'] } },
        cache_settings: { redis_prefix: prefix },
      },
    });
  });
  afterAll(async () => {
    await running?.close();
    await Promise.all([redis?.stop(), fake?.close(), driver?.close()]);
  });
  beforeEach(async () => {
    fake.reset();
    await running.gateway.cache?.clear();
  });

  const speak = (body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> =>
    fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'voice', voice: 'alloy', ...body }),
      ...(signal === undefined ? {} : { signal }),
    });
  const bytesOf = async (response: Response): Promise<Buffer> => Buffer.from(await response.arrayBuffer());

  it('serves a second identical call from storage: no upstream request, the same bytes, no cost', async () => {
    const first = await speak({ input: 'Welcome to the hotline.' });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-tts-cache')).toBe('miss');
    const firstBytes = await bytesOf(first);
    expect(fake.requests).toHaveLength(1);

    const second = await speak({ input: 'Welcome to the hotline.' });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-tts-cache')).toBe('hit');
    expect(second.headers.get('x-litellm-cache-key')).toMatch(/^[0-9a-f]{64}$/);
    expect(second.headers.get('x-tts-cost-usd')).toBe('0');
    expect(second.headers.get('content-type')).toBe('audio/mpeg');
    expect(second.headers.get('x-tts-deployment')).toBe('voice-openai');
    expect(await bytesOf(second)).toEqual(firstBytes);
    expect(fake.requests).toHaveLength(1);
    expect(await driver.objects()).toHaveLength(1);
    expect(await running.gateway.cache?.storedBytes()).toBe(firstBytes.length);
  });

  it('misses on any change of voice, format, speed, instructions or input, and hits across groups of the same provider model', async () => {
    const base = { input: 'Press one for sales.', voice: 'alloy', response_format: 'mp3', speed: 1 };
    await bytesOf(await speak(base));
    const variants = [{ voice: 'nova' }, { response_format: 'wav' }, { speed: 1.25 }, { instructions: 'Speak slowly.' }, { input: 'Press two for sales.' }];
    for (const variant of variants) {
      const response = await speak({ ...base, ...variant });
      await bytesOf(response);
      expect(response.headers.get('x-tts-cache'), JSON.stringify(variant)).toBe('miss');
    }
    expect(fake.requests).toHaveLength(1 + variants.length);
    // Only what cannot change the audio is normalised: trailing whitespace.
    const trailing = await speak({ ...base, input: 'Press one for sales.  \n' });
    await bytesOf(trailing);
    expect(trailing.headers.get('x-tts-cache')).toBe('hit');
    const alias = await speak({ ...base, model: 'voice-alias' });
    await bytesOf(alias);
    expect(alias.headers.get('x-tts-cache')).toBe('hit');
    expect(fake.requests).toHaveLength(1 + variants.length);
  });

  it('stores nothing for a stream the client aborted', async () => {
    Object.assign(fake.behaviour, { chunkBytes: 256, chunkDelayMs: 25 });
    const controller = new AbortController();
    const response = await speak({ input: 'This call is recorded.' }, {}, controller.signal);
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    // The upstream call ends once the gateway sees the disconnect.
    await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await driver.objects()).toEqual([]);
    expect(await running.gateway.cache?.storedBytes()).toBe(0);
    Object.assign(fake.behaviour, { chunkBytes: 4096, chunkDelayMs: 0 });
    const again = await speak({ input: 'This call is recorded.' });
    await bytesOf(again);
    expect(again.headers.get('x-tts-cache')).toBe('miss');
    expect(fake.requests).toHaveLength(2);
  });

  it('stores nothing when the upstream fails mid-stream', async () => {
    fake.inject({ kind: 'drop_mid_stream' });
    const failed = await speak({ input: 'Your call matters.' });
    await bytesOf(failed).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await driver.objects()).toEqual([]);
    const again = await speak({ input: 'Your call matters.' });
    await bytesOf(again);
    expect(again.headers.get('x-tts-cache')).toBe('miss');
  });

  it('makes one upstream call for 20 concurrent identical misses', async () => {
    Object.assign(fake.behaviour, { latencyMs: 150 });
    const responses = await Promise.all(Array.from({ length: 20 }, () => speak({ input: 'All our agents are busy.' })));
    const bodies = await Promise.all(responses.map(bytesOf));
    Object.assign(fake.behaviour, { latencyMs: 0 });
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(fake.requests).toHaveLength(1);
    expect(responses.filter((response) => response.headers.get('x-tts-cache') === 'hit')).toHaveLength(19);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });

  it('makes one upstream call for identical misses sent to two gateways sharing Redis and storage', async () => {
    const other = await startGateway({
      clock: movableClock(),
      redis: redis.url,
      masterKey: MASTER,
      environment: { OPENAI_API_KEY: FAKE_OPENAI_API_KEY },
      config: {
        model_list: [
          {
            model_name: 'voice',
            litellm_params: { model: 'openai/gpt-4o-mini-tts', api_key: 'os.environ/OPENAI_API_KEY', api_base: `${fake.baseUrl}/v1` },
            model_info: { id: 'voice-openai' },
          },
        ],
        storage_settings: driver.storage,
        governance_settings: { redis_prefix: `${uniquePrefix('governance')}:` },
        litellm_settings: { cache: true, cache_params: { type: 'redis', supported_call_types: ['speech'] } },
        cache_settings: { redis_prefix: prefix },
      },
    });
    try {
      Object.assign(fake.behaviour, { latencyMs: 150 });
      const body = JSON.stringify({ model: 'voice', voice: 'alloy', input: 'Please hold the line.' });
      const send = (baseUrl: string) =>
        fetch(`${baseUrl}/v1/audio/speech`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body });
      const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => send(index % 2 === 0 ? running.baseUrl : other.baseUrl)));
      const bodies = await Promise.all(responses.map(bytesOf));
      expect(fake.requests).toHaveLength(1);
      for (const received of bodies) expect(received).toEqual(bodies[0]);
    } finally {
      Object.assign(fake.behaviour, { latencyMs: 0 });
      await other.close();
    }
  });

  it('expires entries with their TTL in Redis and in storage', async () => {
    const first = await speak({ input: 'Office hours are nine to five.', cache: { ttl: 1 } });
    await bytesOf(first);
    expect(await driver.objects()).toHaveLength(1);
    const hit = await speak({ input: 'Office hours are nine to five.' });
    await bytesOf(hit);
    expect(hit.headers.get('x-tts-cache')).toBe('hit');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const expired = await speak({ input: 'Office hours are nine to five.', cache: { 'no-store': true } });
    await bytesOf(expired);
    expect(expired.headers.get('x-tts-cache')).toBe('miss');
    expect(fake.requests).toHaveLength(2);
    // The sweep removes the audio of what Redis let expire.
    expect(await running.gateway.cache?.sweep()).toBe(1);
    expect(await driver.objects()).toEqual([]);
    expect(await running.gateway.cache?.storedBytes()).toBe(0);
  });

  it('honours no-cache and no-store, in the body and as Cache-Control', async () => {
    await bytesOf(await speak({ input: 'Thank you for waiting.' }));
    const fresh = await speak({ input: 'Thank you for waiting.', cache: { 'no-cache': true } });
    await bytesOf(fresh);
    expect(fresh.headers.get('x-tts-cache')).toBe('bypass');
    const header = await speak({ input: 'Thank you for waiting.' }, { 'cache-control': 'no-cache' });
    await bytesOf(header);
    expect(header.headers.get('x-tts-cache')).toBe('bypass');
    expect(fake.requests).toHaveLength(3);

    const unstored = await speak({ input: 'Goodbye.', cache: { 'no-store': true } });
    await bytesOf(unstored);
    const stillMissing = await speak({ input: 'Goodbye.' }, { 'cache-control': 'no-store' });
    await bytesOf(stillMissing);
    expect(stillMissing.headers.get('x-tts-cache')).toBe('miss');
    expect(fake.requests).toHaveLength(5);
    expect(await driver.objects()).toHaveLength(1);

    // max-age: an entry older than the client accepts is not served.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const tooOld = await speak({ input: 'Thank you for waiting.' }, { 'cache-control': 'max-age=1' });
    await bytesOf(tooOld);
    expect(tooOld.headers.get('x-tts-cache')).toBe('miss');

    const bad = await speak({ input: 'Goodbye.', cache: { 'no-cache': 'yes' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('cache.no-cache');
  });

  it('marks hits in spend rows, at no cost', async () => {
    await bytesOf(await speak({ input: 'Spend check.', user: 'caller-7' }));
    await bytesOf(await speak({ input: 'Spend check.', user: 'caller-7' }));
    await running.gateway.governance.settled();
    const response = await fetch(`${running.baseUrl}/spend/logs?end_user=caller-7`, { headers: { authorization: `Bearer ${MASTER}` } });
    const rows = (await response.json()) as SpendRow[];
    expect(rows).toHaveLength(2);
    const hit = rows.find((row) => row.cache_hit);
    const miss = rows.find((row) => !row.cache_hit);
    expect(hit?.spend).toBe(0);
    expect(hit?.cache_key).toMatch(/^[0-9a-f]{64}$/);
    expect(hit?.metadata.attempts).toBe(0);
    expect(miss?.spend).toBeGreaterThan(0);
    expect(miss?.cache_key).toBe('');
  });

  it('evicts on DELETE /cache and per key, for the master key only, and counts hits and misses', async () => {
    await bytesOf(await speak({ input: 'First prompt.' }));
    await bytesOf(await speak({ input: 'Second prompt.' }));
    const hit = await speak({ input: 'First prompt.' });
    await bytesOf(hit);
    const key = hit.headers.get('x-litellm-cache-key') ?? '';
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/tts_cache_hits_total\{model_group="voice",source="sync"\} [1-9]/);
    expect(metrics).toMatch(/tts_cache_misses_total\{model_group="voice",source="sync"\} [1-9]/);
    expect(metrics).toMatch(/tts_cache_stored_bytes [1-9]\d*/);

    const ping = await fetch(`${running.baseUrl}/cache/ping`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({
      status: 'healthy',
      cache_type: 'redis',
      ping_response: true,
      set_cache_response: 'success',
      stored_bytes: await running.gateway.cache?.storedBytes(),
    });
    expect(await driver.objects()).toHaveLength(2);

    const deleteOne = await fetch(`${running.baseUrl}/cache/delete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: [key] }),
    });
    expect(await deleteOne.json()).toEqual({ status: 'success', deleted: 1 });
    expect(await driver.objects()).toHaveLength(1);
    const anonymous = await fetch(`${running.baseUrl}/cache`, { method: 'DELETE' });
    expect(anonymous.status).toBe(401);
    const cleared = await fetch(`${running.baseUrl}/cache`, { method: 'DELETE', headers: { authorization: `Bearer ${MASTER}` } });
    expect(await cleared.json()).toEqual({ status: 'success', deleted: 1 });
    expect(await driver.objects()).toEqual([]);
    const after = await speak({ input: 'Second prompt.' });
    await bytesOf(after);
    expect(after.headers.get('x-tts-cache')).toBe('miss');
  });
});
