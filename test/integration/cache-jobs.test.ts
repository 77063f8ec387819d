import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkText } from '../../src/text/chunk-text.js';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';

const LIMIT = 120;
let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let audioDirectory: string;

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake()]);
  audioDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-cache-jobs-'));
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [
        {
          model_name: 'narrator',
          litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1`, max_input_characters: LIMIT },
        },
      ],
      storage_settings: { path: audioDirectory },
      job_settings: { redis_prefix: uniquePrefix('cache-jobs'), chunk_parallelism: 2 },
      litellm_settings: { cache: true, cache_params: { supported_call_types: ['aspeech'] } },
      cache_settings: { redis_prefix: `${uniquePrefix('cache-index')}:` },
    },
  });
  harness.startWorkers();
});
afterAll(async () => {
  await harness?.close();
  await Promise.all([redis?.stop(), fake?.close()]);
  await rm(audioDirectory, { recursive: true, force: true });
});

const finished = (id: string): Promise<JobView> =>
  waitUntil(
    async () => {
      const job = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
    },
    60_000,
    `job ${id}`,
  );

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('speech cache for jobs', () => {
  it('serves a re-submitted job, split items included, with no upstream call and no cost', async () => {
    const long = 'The ferry leaves at noon. Tickets are sold at the pier. Bring a coat, the deck is cold. Dogs travel free on a lead. '.repeat(3);
    expect(chunkText(long, LIMIT).length).toBeGreaterThan(2);
    const body = {
      model: 'narrator',
      voice: 'alloy',
      response_format: 'mp3',
      items: [{ input: 'Boarding now.' }, { input: long }, { input: 'Boarding now.', response_format: 'wav' }],
    };
    const first = await finished(((await harness.request('POST', '/v1/audio/speech/jobs', { body })).body as JobView).id);
    expect(first.status).toBe('completed');
    const upstream = fake.requests.length;
    // One call per distinct piece: the short item, each distinct chunk of the long one (its text
    // repeats, so chunks do too), and the short one again as wav.
    const distinctChunks = new Set(chunkText(long, LIMIT)).size;
    expect(distinctChunks).toBeLessThan(chunkText(long, LIMIT).length);
    expect(upstream).toBe(1 + distinctChunks + 1);
    expect(first.usage.cost_usd).toBeGreaterThan(0);

    const second = await finished(((await harness.request('POST', '/v1/audio/speech/jobs', { body })).body as JobView).id);
    expect(second.status).toBe('completed');
    expect(fake.requests.length).toBe(upstream);
    expect(second.usage.cost_usd).toBe(0);
    for (const index of [0, 1, 2]) {
      const [before, after] = await Promise.all([download(first.items[index]?.audio?.url ?? ''), download(second.items[index]?.audio?.url ?? '')]);
      expect(after.equals(before), `item ${index}`).toBe(true);
    }

    // The sync endpoint reads the same entries.
    const sync = await fetch(`${harness.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-master' },
      body: JSON.stringify({ model: 'narrator', voice: 'alloy', input: 'Boarding now.' }),
    });
    expect(sync.headers.get('x-tts-cache')).toBe('hit');
    expect(Buffer.from(await sync.arrayBuffer()).equals(await download(first.items[0]?.audio?.url ?? ''))).toBe(true);
    expect(fake.requests.length).toBe(upstream);
  });
});
