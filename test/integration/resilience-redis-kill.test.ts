import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';

/**
 * Redis dies without warning mid-job (SIGKILL: of the container when the run is on containers,
 * of the process otherwise) and comes back from its AOF on the same address: the job completes
 * with every item stored once, the workers reconnecting by themselves.
 */
let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let directory: string;

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake({ behaviour: { latencyMs: 100 } })]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-redis-kill-'));
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
      storage_settings: { path: join(directory, 'audio'), signing_secret: 'a-secret-for-the-redis-kill-test' },
      job_settings: { redis_prefix: uniquePrefix('redis-kill'), concurrency: 3, lock_seconds: 3, item_backoff_seconds: 0.2, item_attempts: 8 },
    },
  });
  harness.startWorkers();
});
afterAll(async () => {
  // A failed assertion may have left Redis down; the workers need it to close.
  if (!redis.running) await redis.resume();
  // BullMQ's Worker.close() can wait forever on a blocking client that is still reconnecting after
  // its server died (taskforcesh/bullmq#4656); the test is about the job, so the close is bounded
  // and a hang is reported instead of failing the file on its teardown.
  const closed = await Promise.race([harness.close().then(() => true), new Promise<false>((done) => setTimeout(() => done(false), 15_000))]);
  if (!closed) console.warn('the job workers did not close within 15 s after the Redis kill');
  await Promise.all([redis.stop(), fake.close()]);
  await rm(directory, { recursive: true, force: true });
});

const getJob = async (id: string): Promise<JobView | undefined> => {
  const response = await harness.request('GET', `/v1/audio/speech/jobs/${id}`).catch(() => undefined);
  return response?.status === 200 ? (response.body as JobView) : undefined;
};

it(`completes a job across a SIGKILL of its Redis, every item stored once`, async () => {
  const items = Array.from({ length: 30 }, (_, index) => ({ input: `Item ${index} outlives a killed Redis.` }));
  const created = await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', response_format: 'pcm', items } });
  expect(created.status).toBe(202);
  const id = (created.body as JobView).id;
  const createdAt = Date.now();
  await waitUntil(
    async () => {
      const current = await getJob(id);
      // More than the AOF's one-second fsync interval after creation, so the job itself is on disk.
      return current !== undefined && current.request_counts.completed >= 6 && Date.now() - createdAt > 1_500 ? current : undefined;
    },
    30_000,
    'six items',
  );

  await redis.kill();
  expect(redis.running).toBe(false);
  expect((await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).status).toBe(503);
  await new Promise((done) => setTimeout(done, 500));
  await redis.resume();

  const job = await waitUntil(
    async () => {
      const current = await getJob(id);
      return current?.status === 'completed' || current?.status === 'failed' ? current : undefined;
    },
    60_000,
    'the job to end',
  );
  expect(job.status).toBe('completed');
  expect(job.request_counts).toEqual({ total: 30, completed: 30, failed: 0, cancelled: 0 });
  const files = (await readdir(join(directory, 'audio', 'jobs', id, 'items'))).sort((left, right) => Number.parseInt(left, 10) - Number.parseInt(right, 10));
  expect(files).toEqual(Array.from({ length: 30 }, (_, index) => `${index}.pcm`));
  for (const item of job.items) expect(item.audio?.bytes).toBe(48_000);
});
