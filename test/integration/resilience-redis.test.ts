import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitUntil } from '../helpers/wait-until.js';

/**
 * The gateway as the entry point composes it (virtual keys from governance, not a test
 * authenticator), API and workers in one process, against a real Redis with AOF (a container or
 * a process) that is stopped and started again on the same port with the same data mid-job.
 */
const MASTER = 'sk-master-resilience';
let redis: TestRedis;
let fake: FakeServer;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let directory: string;
let running: RunningGateway;

beforeAll(async () => {
  [redis, fake, receiver] = await Promise.all([startTestRedis(), startOpenAIFake({ behaviour: { latencyMs: 100 } }), startWebhookReceiver()]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-resilience-redis-'));
  running = await startGateway({
    config: {
      model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
      storage_settings: { path: join(directory, 'audio'), signing_secret: 'a-secret-for-the-redis-restart-test' },
      job_settings: { redis_prefix: uniquePrefix('redis-restart'), concurrency: 3, lock_seconds: 3, item_backoff_seconds: 0.2, item_attempts: 8 },
      webhook_settings: { allow_private_networks: true, initial_backoff_seconds: 0.1, max_backoff_seconds: 1, timeout_seconds: 2 },
    },
    redis: redis.url,
    masterKey: MASTER,
  });
  running.startWorkers();
});
afterAll(async () => {
  // A failed assertion may have left Redis stopped; the workers need it to close.
  if (!redis.running) await redis.resume();
  await running.close();
  await Promise.all([redis.stop(), fake.close(), receiver.close()]);
  await rm(directory, { recursive: true, force: true });
});

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: unknown; bytes: number }> {
  const response = await fetch(`${running.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const buffer = Buffer.from(await response.arrayBuffer());
  const text = response.headers.get('content-type')?.startsWith('application/json') ? buffer.toString('utf8') : '';
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), bytes: buffer.length };
}

it('finishes a job across a Redis restart with every item stored once and one webhook; sync speech keeps answering meanwhile', async () => {
  const generated = await call('POST', '/key/generate', MASTER, { models: ['narrator'] });
  expect(generated.status).toBe(200);
  const virtualKey = (generated.body as { key: string }).key;
  expect((await call('POST', '/v1/audio/speech', virtualKey, { model: 'narrator', input: 'Before.', voice: 'alloy', response_format: 'pcm' })).status).toBe(
    200,
  );

  const items = Array.from({ length: 30 }, (_, index) => ({ input: `Item ${index} outlives a Redis restart.` }));
  const created = await call('POST', '/v1/audio/speech/jobs', MASTER, {
    model: 'narrator',
    voice: 'alloy',
    response_format: 'pcm',
    items,
    webhook: { url: receiver.url },
  });
  expect(created.status).toBe(202);
  const id = (created.body as JobView).id;
  const getJob = async (): Promise<JobView> => (await call('GET', `/v1/audio/speech/jobs/${id}`, MASTER)).body as JobView;
  const before = await waitUntil(
    async () => {
      const current = await getJob();
      return current.request_counts.completed >= 6 ? current : undefined;
    },
    30_000,
    'six items',
  );
  expect(before.request_counts.completed).toBeLessThan(20);

  // As an operator would (SIGTERM: the AOF is flushed); the data is kept.
  await redis.halt();
  // While Redis is away: the master key needs no lookup and the router falls back to local state.
  const sync = await call('POST', '/v1/audio/speech', MASTER, {
    model: 'narrator',
    input: 'Redis is down, speech is not.',
    voice: 'alloy',
    response_format: 'pcm',
  });
  expect(sync.status).toBe(200);
  expect(sync.bytes).toBe(48_000);
  // A virtual key cannot be checked without Redis: refused as unavailable (fail closed), never a 500.
  const refused = await call('POST', '/v1/audio/speech', virtualKey, { model: 'narrator', input: 'And me?', voice: 'alloy', response_format: 'pcm' });
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({ error: { type: 'server_error', code: 'service_unavailable' } });

  await redis.resume();
  const job = await waitUntil(
    async () => {
      const current = await getJob().catch(() => undefined);
      return current?.status === 'completed' && current.webhook?.status === 'delivered' ? current : undefined;
    },
    60_000,
    'the job and its webhook',
  );
  expect(job.request_counts).toEqual({ total: 30, completed: 30, failed: 0, cancelled: 0 });
  // The outage reached items in flight: they could not be recorded, and were done again.
  expect(running.logs.some((line) => line['msg'] === 'item failed; it will be retried')).toBe(true);
  expect(job.items.some((item) => item.attempts > 1)).toBe(true);
  // Exactly one final object per item, no leftovers, each the item's whole audio.
  const files = (await readdir(join(directory, 'audio', 'jobs', id, 'items'))).sort((left, right) => Number.parseInt(left, 10) - Number.parseInt(right, 10));
  expect(files).toEqual(Array.from({ length: 30 }, (_, index) => `${index}.pcm`));
  for (const item of job.items) expect(item.audio?.bytes).toBe(48_000);
  // The receiver saw the end once (it accepts the first attempt, so one delivery is all there may be).
  await waitUntil(async () => (receiver.received.length >= 1 ? true : undefined), 10_000, 'the webhook');
  expect(receiver.all).toHaveLength(1);
  expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ type: 'speech.job.completed', data: { id, request_counts: { completed: 30 } } });

  // Back to normal: the virtual key works again.
  const after = await waitUntil(
    async () => {
      const response = await call('POST', '/v1/audio/speech', virtualKey, { model: 'narrator', input: 'After.', voice: 'alloy', response_format: 'pcm' });
      return response.status === 200 ? response : undefined;
    },
    10_000,
    'the virtual key to work again',
  );
  expect(after.bytes).toBe(48_000);
});
