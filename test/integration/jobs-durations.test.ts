import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RESPONSE_FORMATS } from '../../src/audio/formats.js';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { decodedDuration } from '../helpers/audio.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';

const PROBE_FORMAT = { mp3: 'mp3', opus: 'ogg', aac: 'aac', flac: 'flac', wav: 'wav', pcm: 'pcm' } as const;
let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let directory: string;

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake()]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-durations-'));
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [
        // Answers every format natively: the gateway stores the provider's own bytes.
        { model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } },
        // Speaks wav only: the gateway encodes every other format itself.
        { model_name: 'local', litellm_params: { model: 'espeak/en-us' } },
      ],
      storage_settings: { path: join(directory, 'audio') },
      job_settings: { redis_prefix: uniquePrefix('durations'), concurrency: 4 },
    },
  });
  harness.startWorkers();
});
afterAll(async () => {
  await harness.close();
  await Promise.all([redis.stop(), fake.close()]);
  await rm(directory, { recursive: true, force: true });
});

it.each(['narrator', 'local'])('gives every format an exact duration_seconds (%s)', async (model) => {
  const items = RESPONSE_FORMATS.map((format) => ({ input: `The length of this ${format} clip is known to the hundredth.`, response_format: format }));
  const created = await harness.request('POST', '/v1/audio/speech/jobs', { body: { model, voice: 'alloy', items } });
  const id = (created.body as JobView).id;
  const job = await waitUntil(
    async () => {
      const current = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return current.status === 'completed' ? current : undefined;
    },
    60_000,
    'the job',
  );
  expect(job.request_counts.completed).toBe(RESPONSE_FORMATS.length);
  for (const [index, format] of RESPONSE_FORMATS.entries()) {
    const audio = job.items[index]?.audio;
    expect(audio?.duration_seconds, format).toEqual(expect.any(Number));
    const bytes = new Uint8Array(await (await fetch(audio?.url ?? '')).arrayBuffer());
    const decoded = await decodedDuration(bytes, PROBE_FORMAT[format]);
    expect(decoded).toBeGreaterThan(0.5);
    expect(
      Math.abs((audio?.duration_seconds ?? 0) - decoded),
      `${format}: ${String(audio?.duration_seconds)} s against ${decoded} s decoded`,
    ).toBeLessThanOrEqual(0.05);
  }
});

it('measures split items and the concatenated file on the encoded bytes, encoder padding included', async () => {
  // Longer than the provider's 4,096 characters: cut in two, synthesized as pcm, encoded once.
  const long = 'This sentence is one of many in a long chapter. '.repeat(100);
  const items = [{ input: long, response_format: 'mp3' }, { input: long }, { input: 'A short one.' }];
  const created = await harness.request('POST', '/v1/audio/speech/jobs', {
    body: { model: 'narrator', voice: 'alloy', response_format: 'aac', items, concatenate: true },
  });
  const id = (created.body as JobView).id;
  const job = await waitUntil(
    async () => {
      const current = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return current.status === 'completed' ? current : undefined;
    },
    60_000,
    'the job',
  );
  const checks: Array<[string, { url: string; duration_seconds: number | null } | null | undefined, 'mp3' | 'aac']> = [
    ['split mp3', job.items[0]?.audio, 'mp3'],
    ['split aac', job.items[1]?.audio, 'aac'],
    ['concatenated aac', job.concatenated_audio, 'aac'],
  ];
  for (const [label, audio, format] of checks) {
    const bytes = new Uint8Array(await (await fetch(audio?.url ?? '')).arrayBuffer());
    const decoded = await decodedDuration(bytes, format);
    expect(
      Math.abs((audio?.duration_seconds ?? 0) - decoded),
      `${label}: ${String(audio?.duration_seconds)} s against ${decoded} s decoded`,
    ).toBeLessThanOrEqual(0.05);
  }
  expect(job.items[0]?.audio?.duration_seconds).toBeGreaterThan(1.9);
});
