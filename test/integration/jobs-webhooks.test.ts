import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitUntil } from '../helpers/wait-until.js';

let redis: TestRedis;
let fake: FakeServer;
let open: RunningGateway;
let guarded: RunningGateway;
let audioDirectory: string;

const SECRET = `whsec_${Buffer.from('a receiver-chosen secret, 32 bytes').toString('base64')}`;

function config(prefix: string, allowPrivateNetworks: boolean): unknown {
  return {
    model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
    storage_settings: { path: audioDirectory },
    job_settings: { redis_prefix: uniquePrefix(prefix) },
    webhook_settings: { allow_private_networks: allowPrivateNetworks, initial_backoff_seconds: 0.1, max_backoff_seconds: 1, timeout_seconds: 2 },
  };
}

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake()]);
  audioDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-webhooks-'));
  open = await startGateway({ ...JOB_KEYS, redis: redis.url, config: config('open', true) });
  guarded = await startGateway({ ...JOB_KEYS, redis: redis.url, config: config('guarded', false) });
  open.startWorkers();
  guarded.startWorkers();
});
afterAll(async () => {
  await open.close();
  await guarded.close();
  await Promise.all([redis.stop(), fake.close()]);
  await rm(audioDirectory, { recursive: true, force: true });
});

const webhookSettled = (harness: RunningGateway, id: string): Promise<JobView> =>
  waitUntil(
    async () => {
      const job = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return job.webhook?.status === 'delivered' || job.webhook?.status === 'failed' ? job : undefined;
    },
    30_000,
    `the webhook of ${id}`,
  );

describe('webhook delivery', () => {
  it('retries a receiver that refuses for a while, with the same webhook-id, until it accepts', async () => {
    const receiver = await startWebhookReceiver((attempt) => (attempt <= 3 ? 503 : 200));
    try {
      const created = (
        await open.request('POST', '/v1/audio/speech/jobs', {
          body: { model: 'narrator', voice: 'alloy', items: [{ input: 'Knock knock.' }], webhook: { url: receiver.url, secret: SECRET } },
        })
      ).body as JobView;
      expect(created.webhook?.secret).toBeUndefined();
      const job = await webhookSettled(open, created.id);
      expect(job.webhook).toMatchObject({ status: 'delivered', attempts: 4, last_status: 200 });
      // Every attempt is kept, in order, with what the receiver answered.
      expect(job.webhook?.deliveries.map((entry) => [entry.attempt, entry.status, entry.outcome])).toEqual([
        [1, 503, 'retrying'],
        [2, 503, 'retrying'],
        [3, 503, 'retrying'],
        [4, 200, 'delivered'],
      ]);
      expect(job.webhook?.deliveries[0]?.error).toBe('the receiver answered 503');
      expect(job.webhook?.deliveries[3]?.error).toBeNull();
      expect(receiver.all.map((request) => request.status)).toEqual([503, 503, 503, 200]);
      const ids = new Set(receiver.all.map((request) => request.headers['webhook-id']));
      expect(ids.size).toBe(1);
      expect(receiver.received).toHaveLength(1);
      const delivery = receiver.received[0];
      const event = new Webhook(SECRET).verify(delivery?.body ?? '', delivery?.headers ?? {}) as { id: string; type: string; data: JobView };
      expect(event.type).toBe('speech.job.completed');
      expect(event.id).toBe([...ids][0]);
    } finally {
      await receiver.close();
    }
  });

  it('stops at a 410 Gone', async () => {
    const receiver = await startWebhookReceiver(() => 410);
    try {
      const created = (
        await open.request('POST', '/v1/audio/speech/jobs', {
          body: { model: 'narrator', voice: 'alloy', items: [{ input: 'Anyone there?' }], webhook: { url: receiver.url } },
        })
      ).body as JobView;
      const job = await webhookSettled(open, created.id);
      expect(job.webhook).toMatchObject({ status: 'failed', attempts: 1, last_status: 410 });
      expect(job.webhook?.deliveries.map((entry) => [entry.attempt, entry.status, entry.outcome])).toEqual([[1, 410, 'failed']]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.attempts()).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('announces a cancelled job as speech.job.cancelled', async () => {
    const receiver = await startWebhookReceiver();
    fake.behaviour.latencyMs = 300;
    try {
      const items = Array.from({ length: 10 }, (_, index) => ({ input: `Long list ${index}.` }));
      const created = (
        await open.request('POST', '/v1/audio/speech/jobs', {
          body: { model: 'narrator', voice: 'alloy', items, webhook: { url: receiver.url, secret: SECRET } },
        })
      ).body as JobView;
      expect((await open.request('POST', `/v1/audio/speech/jobs/${created.id}/cancel`)).status).toBe(200);
      await webhookSettled(open, created.id);
      const event = new Webhook(SECRET).verify(receiver.received[0]?.body ?? '', receiver.received[0]?.headers ?? {}) as { type: string; data: JobView };
      expect(event.type).toBe('speech.job.cancelled');
      expect(event.data.status).toBe('cancelled');
    } finally {
      fake.behaviour.latencyMs = 0;
      await receiver.close();
    }
  });

  it('refuses loopback targets unless private networks are allowed, and says so on the job', async () => {
    const receiver = await startWebhookReceiver();
    try {
      for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost'), receiver.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')]) {
        const created = (
          await guarded.request('POST', '/v1/audio/speech/jobs', {
            body: { model: 'narrator', voice: 'alloy', items: [{ input: 'Do not call me.' }], webhook: { url } },
          })
        ).body as JobView;
        const job = await webhookSettled(guarded, created.id);
        expect(job.status).toBe('completed');
        expect(job.webhook).toMatchObject({ status: 'failed', attempts: 1, last_status: null });
        expect(job.webhook?.deliveries.map((entry) => [entry.status, entry.outcome])).toEqual([[null, 'refused']]);
        expect(job.webhook?.last_error).toMatch(/refused to connect to/);
      }
      expect(receiver.attempts()).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
