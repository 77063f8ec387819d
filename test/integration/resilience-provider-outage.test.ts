import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import { readJson, type FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitUntil } from '../helpers/wait-until.js';

let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let directory: string;

beforeAll(async () => {
  [redis, fake, receiver] = await Promise.all([startTestRedis(), startOpenAIFake({ behaviour: { latencyMs: 20 } }), startWebhookReceiver()]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-outage-'));
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
      // No retries inside one routing call: every retry below is the job's own, across time.
      router_settings: { num_retries: 0, cooldown_time: 0.2 },
      storage_settings: { path: join(directory, 'audio') },
      job_settings: { redis_prefix: uniquePrefix('outage'), concurrency: 4, item_attempts: 12, item_backoff_seconds: 0.05 },
      webhook_settings: { allow_private_networks: true, initial_backoff_seconds: 0.1 },
    },
  });
  harness.startWorkers();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await harness.close();
  await Promise.all([redis.stop(), fake.close(), receiver.close()]);
  await rm(directory, { recursive: true, force: true });
});

const speechRequests = (): number => fake.requests.filter((request) => request.path === '/v1/audio/speech').length;
const getJob = async (id: string): Promise<JobView> => (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
const ended = (id: string): Promise<JobView> =>
  waitUntil(
    async () => {
      const job = await getJob(id);
      return job.status === 'completed' || job.status === 'failed' ? job : undefined;
    },
    60_000,
    `job ${id} to end`,
  );

it('rides out a provider that answers 503 to everything for a while, and completes every item once it recovers', async () => {
  fake.behaviour.failureRate = 1;
  fake.behaviour.randomFailure = { kind: 'unavailable' };
  const items = Array.from({ length: 12 }, (_, index) => ({ input: `Outage line ${index}.` }));
  const created = await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', response_format: 'mp3', items } });
  const id = (created.body as JobView).id;
  // Long enough for every item to have failed at least once, most several times.
  await waitUntil(async () => (speechRequests() >= 30 ? true : undefined), 30_000, 'thirty refused requests');
  const during = await getJob(id);
  expect(during.status).toBe('in_progress');
  expect(during.request_counts.completed).toBe(0);
  expect(during.request_counts.failed).toBe(0);
  fake.behaviour.failureRate = 0;

  const job = await ended(id);
  expect(job.status).toBe('completed');
  expect(job.request_counts).toEqual({ total: 12, completed: 12, failed: 0, cancelled: 0 });
  expect(job.items.every((item) => item.attempts > 1 && item.error === null)).toBe(true);
  const files = await readdir(join(directory, 'audio', 'jobs', id, 'items'));
  expect(files.sort()).toEqual(Array.from({ length: 12 }, (_, index) => `${index}.mp3`).sort());
});

it('waits out a 429 no sooner than its Retry-After, even with a much shorter backoff configured', async () => {
  fake.inject({ kind: 'rate_limited', retryAfterSeconds: 1 });
  const seen: number[] = [];
  const watching = setInterval(() => {
    while (seen.length < speechRequests()) seen.push(performance.now());
  }, 5);
  try {
    const created = await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', items: [{ input: 'Patience.' }] } });
    const job = await ended((created.body as JobView).id);
    expect(job.status).toBe('completed');
    expect(job.items[0]?.attempts).toBe(2);
  } finally {
    clearInterval(watching);
  }
  expect(speechRequests()).toBe(2);
  // The 50 ms backoff would have retried at once; the hint said one second (less the 5 ms sampling).
  expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(990);
});

it('fails only the items a provider refuses with 400, with the reason on each, and still finishes the job', async () => {
  // The first two requests the provider sees are refused as a bad request; whichever items sent them.
  fake.inject({ kind: 'bad_request' }, { kind: 'bad_request' });
  const items = Array.from({ length: 6 }, (_, index) => ({ input: `Mixed line ${index}.` }));
  const created = await harness.request('POST', '/v1/audio/speech/jobs', {
    body: { model: 'narrator', voice: 'alloy', items, webhook: { url: receiver.url } },
  });
  const id = (created.body as JobView).id;
  const job = await ended(id);
  const inputOf = (position: number): unknown => (readJson(fake.requests[position] ?? fake.lastRequest()) as { input?: unknown }).input;
  const refused = new Set([inputOf(0), inputOf(1)]);
  expect(refused.size).toBe(2);
  // At least one item completed, so the job is completed; the count of failures says the rest.
  expect(job.status).toBe('completed');
  expect(job.request_counts).toEqual({ total: 6, completed: 4, failed: 2, cancelled: 0 });
  for (const item of job.items) {
    if (refused.has(items[item.index]?.input)) {
      expect(item).toMatchObject({ status: 'failed', attempts: 1, audio: null, error: { code: 'invalid_request' } });
      expect(item.error?.message).toMatch(/at most 4096 characters/);
    } else {
      expect(item).toMatchObject({ status: 'completed', attempts: 1, error: null });
    }
  }
  // A 400 is never retried: six requests for six items.
  expect(speechRequests()).toBe(6);
  const delivered = await waitUntil(async () => receiver.received.find((delivery) => delivery.body.includes(id)), 10_000, 'the webhook');
  expect(JSON.parse(delivered.body)).toMatchObject({ type: 'speech.job.completed', data: { request_counts: { failed: 2 } } });
});

it('calls a job whose every item was refused failed, and announces it so', async () => {
  fake.inject({ kind: 'bad_request' }, { kind: 'bad_request' });
  const created = await harness.request('POST', '/v1/audio/speech/jobs', {
    body: { model: 'narrator', voice: 'alloy', items: [{ input: 'One.' }, { input: 'Two.' }], webhook: { url: receiver.url } },
  });
  const id = (created.body as JobView).id;
  const job = await ended(id);
  expect(job.status).toBe('failed');
  expect(job.request_counts).toEqual({ total: 2, completed: 0, failed: 2, cancelled: 0 });
  expect(job.items.map((item) => item.error?.code)).toEqual(['invalid_request', 'invalid_request']);
  const delivered = await waitUntil(async () => receiver.received.find((delivery) => delivery.body.includes(id)), 10_000, 'the webhook');
  expect(JSON.parse(delivered.body)).toMatchObject({ type: 'speech.job.failed', data: { id, status: 'failed' } });
});
