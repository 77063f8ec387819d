import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
import { startWorkerProcess } from '../helpers/worker-process.js';

let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let directory: string;
let configPath: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake({ behaviour: { latencyMs: 80 } })]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-crash-'));
  const config = {
    model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
    general_settings: { master_key: 'sk-master' },
    storage_settings: { path: join(directory, 'audio'), signing_secret: 'a-shared-secret-for-the-crash-test' },
    // Short locks: a dead worker's items return after about two seconds.
    job_settings: { redis_prefix: uniquePrefix('crash'), concurrency: 3, lock_seconds: 2, item_backoff_seconds: 0.1 },
  };
  configPath = join(directory, 'config.json');
  await writeFile(configPath, JSON.stringify(config));
  harness = await startGateway({ ...JOB_KEYS, redis: redis.url, config });
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await harness.close();
  await Promise.all([redis.stop(), fake.close()]);
  await rm(directory, { recursive: true, force: true });
});

/** A real worker process against this test's config and Redis. */
async function startWorker(): Promise<ChildProcess> {
  const child = await startWorkerProcess(configPath, redis.url);
  workers.push(child);
  return child;
}

const getJob = async (id: string): Promise<JobView> => (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;

it('finishes a job whose worker was killed with SIGKILL mid-way, losing no item and storing none twice', async () => {
  const items = Array.from({ length: 50 }, (_, index) => ({ input: `Sentence ${index} survives the crash.` }));
  const created = await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', response_format: 'pcm', items } });
  expect(created.status).toBe(202);
  const id = (created.body as JobView).id;

  const first = await startWorker();
  await waitUntil(async () => ((await getJob(id)).request_counts.completed >= 10 ? true : undefined), 30_000, 'ten items');
  const exited = new Promise((resolve) => first.once('exit', resolve));
  first.kill('SIGKILL');
  await exited;
  const atKill = await getJob(id);
  expect(atKill.status).toBe('in_progress');
  expect(atKill.request_counts.completed).toBeLessThan(50);

  await startWorker();
  const job = await waitUntil(
    async () => {
      const current = await getJob(id);
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    },
    60_000,
    'the job to end',
  );
  expect(job.status).toBe('completed');
  expect(job.request_counts).toEqual({ total: 50, completed: 50, failed: 0, cancelled: 0 });
  // Items the killed worker held were tried again.
  expect(job.items.some((item) => item.attempts > 1)).toBe(true);

  // One final object per item, at its deterministic key, holding that item's audio.
  const files = await readdir(join(directory, 'audio', 'jobs', id, 'items'));
  const finals = files.filter((file) => /^\d+\.pcm$/.test(file)).sort((left, right) => Number.parseInt(left, 10) - Number.parseInt(right, 10));
  expect(finals).toEqual(Array.from({ length: 50 }, (_, index) => `${index}.pcm`));
  for (const item of job.items) {
    const response = await fetch(item.audio?.url ?? '');
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(item.audio?.bytes);
    expect(item.audio?.bytes).toBe(48_000);
  }
});

it('on SIGTERM, a worker finishes the items it holds, leaves the rest queued, and exits cleanly', async () => {
  // The previous test's worker is idle; stop it so only the worker under test takes items.
  for (const running of workers.splice(0)) {
    if (running.exitCode !== null || running.signalCode !== null) continue;
    const gone = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await gone;
  }
  fake.behaviour.latencyMs = 400;
  try {
    const items = Array.from({ length: 12 }, (_, index) => ({ input: `Graceful ${index}.` }));
    const id = (
      (await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', response_format: 'pcm', items } })).body as JobView
    ).id;
    const worker = await startWorker();
    const inFlight = await waitUntil(
      async () => {
        const job = await getJob(id);
        const held = job.items.filter((item) => item.status === 'in_progress');
        return held.length === 3 ? held.map((item) => item.index) : undefined;
      },
      30_000,
      'three items in flight',
    );
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = await getJob(id);
    for (const index of inFlight) expect(after.items[index]).toMatchObject({ status: 'completed', attempts: 1 });
    expect(after.items.filter((item) => item.status === 'in_progress')).toEqual([]);
    expect(after.request_counts.completed).toBeLessThan(12);

    await startWorker();
    const job = await waitUntil(
      async () => {
        const current = await getJob(id);
        return current.status === 'completed' ? current : undefined;
      },
      30_000,
      'the job to end',
    );
    expect(job.request_counts.completed).toBe(12);
    expect(job.items.every((item) => item.attempts === 1)).toBe(true);
  } finally {
    fake.behaviour.latencyMs = 80;
  }
});
