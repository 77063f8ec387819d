import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkText } from '../../src/text/chunk-text.js';
import type { JobView } from '../../src/jobs/job-view.js';
import { decodedDuration, probeAudio } from '../helpers/audio.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';

const LIMIT = 4000;
let redis: TestRedis;
let harness: RunningGateway;
let audioDirectory: string;

beforeAll(async () => {
  redis = await startTestRedis();
  audioDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-long-'));
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      // The local engine, told to take at most 4,000 characters a call, so a chapter must be split.
      model_list: [{ model_name: 'reader', litellm_params: { model: 'espeak/en-us', max_input_characters: LIMIT } }],
      storage_settings: { path: audioDirectory },
      job_settings: { redis_prefix: uniquePrefix('long'), chunk_parallelism: 2 },
    },
  });
  harness.startWorkers();
});
afterAll(async () => {
  await harness.close();
  await redis.stop();
  await rm(audioDirectory, { recursive: true, force: true });
});

const finished = (id: string): Promise<JobView> =>
  waitUntil(
    async () => {
      const job = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
    },
    120_000,
    `job ${id}`,
  );

async function download(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe('long text', () => {
  it('turns a 60,000-character chapter into one file as long as its pieces spoken one by one', async () => {
    const sentences = [
      'The lighthouse keeper climbed the stairs again.',
      'Rain hammered the glass!',
      'Was anyone out there tonight?',
      'He trimmed the wick and waited.',
    ];
    let chapter = '';
    for (let index = 0; chapter.length < 60_000; index += 1) chapter += `${sentences[index % sentences.length]} `;
    chapter = chapter.slice(0, 60_000).replace(/\S*$/, 'end.');
    const created = await harness.request('POST', '/v1/audio/speech/jobs', {
      body: { model: 'reader', voice: 'alloy', speed: 2.5, response_format: 'wav', items: [{ input: chapter, custom_id: 'chapter-1' }] },
    });
    expect(created.status).toBe(202);
    const job = await finished((created.body as JobView).id);
    expect(job.status).toBe('completed');
    const item = job.items[0];
    expect(item?.characters).toBe(chapter.length);
    const bytes = await download(item?.audio?.url ?? '');
    const probed = await probeAudio(bytes, 'wav');
    expect(probed.codec).toBe('pcm_s16le');
    expect(probed.sampleRate).toBe(24_000);

    // The same pieces through the sync endpoint, one by one, as pcm.
    const pieces = chunkText(chapter, LIMIT);
    expect(pieces.length).toBeGreaterThanOrEqual(15);
    let partsSeconds = 0;
    for (const piece of pieces) {
      const response = await fetch(`${harness.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-master' },
        body: JSON.stringify({ model: 'reader', voice: 'alloy', speed: 2.5, response_format: 'pcm', input: piece }),
      });
      partsSeconds += (await response.arrayBuffer()).byteLength / 2 / 24_000;
    }
    expect(probed.duration).toBeGreaterThan(600);
    expect(Math.abs(probed.duration - partsSeconds)).toBeLessThan(0.05);
    expect(item?.audio?.duration_seconds).toBeCloseTo(partsSeconds, 1);
  });

  it("stitches a job's items into one more file when asked to concatenate", async () => {
    const items = [{ input: 'First line.' }, { input: 'Second line, a little longer.', response_format: 'mp3' }, { input: 'Third.' }];
    const created = await harness.request('POST', '/v1/audio/speech/jobs', {
      body: { model: 'reader', voice: 'alloy', response_format: 'flac', concatenate: true, items },
    });
    const job = await finished((created.body as JobView).id);
    expect(job.status).toBe('completed');
    const whole = job.concatenated_audio;
    expect(whole?.content_type).toBe('audio/flac');
    const probed = await probeAudio(await download(whole?.url ?? ''), 'flac');
    expect(probed.codec).toBe('flac');
    let sum = 0;
    for (const [index, item] of job.items.entries()) sum += await decodedDuration(await download(item.audio?.url ?? ''), index === 1 ? 'mp3' : 'flac');
    // mp3 adds encoder padding, so allow a frame or two.
    expect(Math.abs(probed.duration - sum)).toBeLessThan(0.1);
  });
});
