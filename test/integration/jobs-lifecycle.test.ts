import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { probeAudio } from '../helpers/audio.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS, KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';

let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let audioDirectory: string;

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake()]);
  audioDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-jobs-audio-'));
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
      storage_settings: { path: audioDirectory },
      job_settings: { redis_prefix: uniquePrefix('lifecycle'), concurrency: 1, item_attempts: 2, item_backoff_seconds: 0.05, max_items_per_job: 30 },
    },
  });
  harness.startWorkers();
});
afterAll(async () => {
  await harness.close();
  await Promise.all([redis.stop(), fake.close()]);
  await rm(audioDirectory, { recursive: true, force: true });
});

const finished = (id: string, key: string = KEYS.master): Promise<JobView> =>
  waitUntil(
    async () => {
      const job = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`, { key })).body as JobView;
      return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
    },
    30_000,
    `job ${id}`,
  );

const body = (input: string) => ({ model: 'narrator', voice: 'alloy', response_format: 'wav', items: [{ input }] });

describe('job lifecycle', () => {
  it('validates the body and the model', async () => {
    expect((await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', items: [] } })).status).toBe(400);
    const noVoice = await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', items: [{ input: 'x' }] } });
    expect(noVoice.status).toBe(400);
    expect((noVoice.body as { error: { param: string } }).error.param).toBe('items.0.voice');
    expect((await harness.request('POST', '/v1/audio/speech/jobs', { body: { ...body('x'), model: 'tts-9' } })).status).toBe(404);
    const tooMany = await harness.request('POST', '/v1/audio/speech/jobs', {
      body: { model: 'narrator', voice: 'alloy', items: Array.from({ length: 31 }, () => ({ input: 'x' })) },
    });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as { error: { code: string } }).error.code).toBe('too_many_items');
  });

  it('answers a job, item or download path with broken percent-encoding with 400', async () => {
    const paths: Array<[string, string]> = [
      ['GET', '/v1/audio/speech/jobs/%E0%A4'],
      ['POST', '/v1/audio/speech/jobs/%ZZ/cancel'],
      ['DELETE', '/v1/audio/speech/jobs/%C0%AF'],
      ['GET', '/v1/audio/speech/jobs/job_000000000000000000000000/items/%E2%82/audio'],
      ['GET', '/v1/audio/speech/downloads/jobs/%E0%A4/items/0.wav'],
    ];
    for (const [method, path] of paths) {
      const response = await harness.request(method, path);
      expect([method, path, response.status]).toEqual([method, path, 400]);
      expect((response.body as { error: { type: string; code: string } }).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_path' });
    }
  });

  it('returns the same job for the same Idempotency-Key and body, and 409 for another body', async () => {
    const headers = { 'idempotency-key': 'chapter-1-attempt' };
    const first = await harness.request('POST', '/v1/audio/speech/jobs', { body: body('Once upon a time.'), headers });
    const again = await harness.request('POST', '/v1/audio/speech/jobs', { body: body('Once upon a time.'), headers });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect((again.body as JobView).id).toBe((first.body as JobView).id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await harness.request('POST', '/v1/audio/speech/jobs', { body: body('A different story.'), headers });
    expect(conflict.status).toBe(409);
    expect((conflict.body as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    // Keys are per API key: another key may use the same string for its own job.
    const other = await harness.request('POST', '/v1/audio/speech/jobs', { body: body('Once upon a time.'), headers, key: KEYS.alice });
    expect((other.body as JobView).id).not.toBe((first.body as JobView).id);
    await finished((first.body as JobView).id);
    expect(fake.requests.filter((request) => request.body.toString().includes('Once upon a time.'))).toHaveLength(2);
  });

  it('shows a job only to the key that made it and to the master key', async () => {
    const created = (await harness.request('POST', '/v1/audio/speech/jobs', { body: body('Private words.'), key: KEYS.alice })).body as JobView;
    const job = await finished(created.id, KEYS.alice);
    expect(job.status).toBe('completed');
    expect((await harness.request('GET', `/v1/audio/speech/jobs/${created.id}`, { key: KEYS.bob })).status).toBe(404);
    expect((await harness.request('GET', `/v1/audio/speech/jobs/${created.id}`, { key: KEYS.master })).status).toBe(200);
    expect((await harness.request('POST', `/v1/audio/speech/jobs/${created.id}/cancel`, { key: KEYS.bob })).status).toBe(404);
    expect((await harness.request('DELETE', `/v1/audio/speech/jobs/${created.id}`, { key: KEYS.bob })).status).toBe(404);
    expect((await harness.request('GET', `/v1/audio/speech/jobs/${created.id}/items/0/audio`, { key: KEYS.bob })).status).toBe(404);
    const bobs = (await harness.request('GET', '/v1/audio/speech/jobs', { key: KEYS.bob })).body as { data: JobView[] };
    expect(bobs.data.map((entry) => entry.id)).not.toContain(created.id);
    const alices = (await harness.request('GET', '/v1/audio/speech/jobs', { key: KEYS.alice })).body as { data: JobView[] };
    expect(alices.data.map((entry) => entry.id)).toContain(created.id);
    expect((await harness.request('GET', '/v1/audio/speech/jobs/job_000000000000000000000000', { key: KEYS.alice })).status).toBe(404);
  });

  it('serves filesystem audio through signed URLs that need no key, and refuses tampered ones', async () => {
    const created = (await harness.request('POST', '/v1/audio/speech/jobs', { body: body('Signed and sealed.') })).body as JobView;
    const job = await finished(created.id);
    const url = job.items[0]?.audio?.url ?? '';
    expect(url.startsWith(`${harness.baseUrl}/v1/audio/speech/downloads/jobs/${job.id}/items/0.wav?`)).toBe(true);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect((await probeAudio(new Uint8Array(await response.arrayBuffer()), 'wav')).codec).toBe('pcm_s16le');
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60));
    expect((await fetch(tampered)).status).toBe(404);
    const otherKey = url.replace('/items/0.wav', '/items/1.wav');
    expect((await fetch(otherKey)).status).toBe(404);
  });

  it('cancels a running job: queued items end cancelled, the job says so, nothing more is synthesized', async () => {
    fake.behaviour.latencyMs = 150;
    try {
      const items = Array.from({ length: 20 }, (_, index) => ({ input: `Cancel me ${index}.` }));
      const created = (await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', response_format: 'pcm', items } }))
        .body as JobView;
      await waitUntil(
        async () => (fake.requests.some((request) => request.body.toString().includes('Cancel me 1.')) ? true : undefined),
        10_000,
        'the second item to start',
      );
      const cancelled = await harness.request('POST', `/v1/audio/speech/jobs/${created.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect((cancelled.body as JobView).status).toBe('cancelled');
      const job = await finished(created.id);
      expect(job.status).toBe('cancelled');
      const counts = job.request_counts;
      expect(counts.total).toBe(20);
      expect(counts.completed + counts.failed + counts.cancelled).toBe(20);
      expect(counts.cancelled).toBeGreaterThanOrEqual(15);
      const requestsAfter = fake.requests.filter((request) => request.body.toString().includes('Cancel me')).length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(fake.requests.filter((request) => request.body.toString().includes('Cancel me')).length).toBe(requestsAfter);
      expect(requestsAfter).toBeLessThanOrEqual(counts.completed + 2);
      expect((await harness.request('POST', `/v1/audio/speech/jobs/${created.id}/cancel`)).status).toBe(409);
    } finally {
      fake.behaviour.latencyMs = 0;
    }
  });

  it('deletes a job with its audio', async () => {
    const created = (
      await harness.request('POST', '/v1/audio/speech/jobs', { body: { ...body('Soon gone.'), items: [{ input: 'Soon gone.' }, { input: 'Also gone.' }] } })
    ).body as JobView;
    const job = await finished(created.id);
    const folder = join(audioDirectory, 'jobs', job.id, 'items');
    expect((await readdir(folder)).sort()).toEqual(['0.wav', '1.wav']);
    const deleted = await harness.request('DELETE', `/v1/audio/speech/jobs/${job.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: job.id, object: 'speech.job.deleted', deleted: true });
    // The job's folder goes with its last object.
    await expect(readdir(join(audioDirectory, 'jobs', job.id))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await harness.request('GET', `/v1/audio/speech/jobs/${job.id}`)).status).toBe(404);
    expect((await fetch(job.items[0]?.audio?.url ?? '')).status).toBe(404);
    const listed = (await harness.request('GET', '/v1/audio/speech/jobs?limit=100')).body as { data: JobView[] };
    expect(listed.data.map((entry) => entry.id)).not.toContain(job.id);
  });

  it('lists newest first with a cursor and a status filter', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      ids.push(((await harness.request('POST', '/v1/audio/speech/jobs', { body: body(`Listed ${index}.`), key: KEYS.bob })).body as JobView).id);
    }
    for (const id of ids) await finished(id, KEYS.bob);
    const page = (await harness.request('GET', '/v1/audio/speech/jobs?limit=2', { key: KEYS.bob })).body as {
      data: JobView[];
      has_more: boolean;
      last_id: string;
    };
    expect(page.data.map((job) => job.id)).toEqual([ids[2], ids[1]]);
    expect(page.has_more).toBe(true);
    const next = (await harness.request('GET', `/v1/audio/speech/jobs?limit=2&after=${page.last_id}`, { key: KEYS.bob })).body as {
      data: JobView[];
      has_more: boolean;
    };
    expect(next.data.map((job) => job.id)).toEqual([ids[0]]);
    expect(next.has_more).toBe(false);
    const cancelledOnly = (await harness.request('GET', '/v1/audio/speech/jobs?status=cancelled', { key: KEYS.bob })).body as { data: JobView[] };
    expect(cancelledOnly.data).toEqual([]);
    expect((await harness.request('GET', '/v1/audio/speech/jobs?status=done', { key: KEYS.bob })).status).toBe(400);
  });
});
