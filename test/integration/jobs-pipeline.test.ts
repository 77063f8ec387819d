import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { probeAudio } from '../helpers/audio.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startTestS3, type TestS3 } from '../helpers/services.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitUntil } from '../helpers/wait-until.js';

const PRICE = 0.000015;
const CODECS: Record<string, string> = { mp3: 'mp3', wav: 'pcm_s16le', opus: 'opus', flac: 'flac' };

let redis: TestRedis;
let fake: FakeServer;
let s3: TestS3;
let harness: RunningGateway;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  [redis, fake, s3, receiver] = await Promise.all([startTestRedis(), startOpenAIFake(), startTestS3('speech-audio'), startWebhookReceiver()]);
  harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [
        {
          model_name: 'narrator',
          litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1`, input_cost_per_character: PRICE },
        },
      ],
      storage_settings: { driver: 's3', bucket: 'speech-audio', endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey },
      job_settings: { redis_prefix: uniquePrefix('jobs'), concurrency: 8, item_backoff_seconds: 0.1 },
      webhook_settings: { allow_private_networks: true },
    },
  });
  harness.startWorkers();
});
afterAll(async () => {
  await harness.close();
  await Promise.all([redis.stop(), fake.close(), s3.stop(), receiver.close()]);
});

describe('a 50-item job on S3 storage', () => {
  it('completes, announces itself once with a valid signature, and every audio URL decodes in its format', { timeout: 180_000 }, async () => {
    const formats = ['mp3', 'wav', 'opus', 'flac'];
    const items = Array.from({ length: 50 }, (_, index) => ({
      input: `Item number ${index}: ${'words '.repeat(index % 7)}done.`,
      custom_id: `line-${index}`,
      ...(index % 5 === 0 ? {} : { response_format: formats[index % formats.length] }),
    }));
    const created = await harness.request('POST', '/v1/audio/speech/jobs', {
      body: { model: 'narrator', voice: 'alloy', items, webhook: { url: receiver.url }, metadata: { book: 'one' } },
    });
    expect(created.status).toBe(202);
    const job = created.body as JobView;
    expect(job.object).toBe('speech.job');
    expect(job.status).toBe('queued');
    expect(job.request_counts).toEqual({ total: 50, completed: 0, failed: 0, cancelled: 0 });
    const secret = job.webhook?.secret;
    expect(secret).toMatch(/^whsec_/);

    const done = await waitUntil(
      async () => {
        const current = (await harness.request('GET', `/v1/audio/speech/jobs/${job.id}`)).body as JobView;
        return current.status === 'completed' && current.webhook?.status === 'delivered' ? current : undefined;
      },
      60_000,
      'the job and its webhook',
    );
    expect(done.webhook?.secret).toBeUndefined();
    expect(done.request_counts).toEqual({ total: 50, completed: 50, failed: 0, cancelled: 0 });
    expect(done.metadata).toEqual({ book: 'one' });
    expect(done.started_at).not.toBeNull();
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.expires_at).toBeGreaterThan(done.completed_at ?? 0);

    // Counts and costs add up: each item bills its characters at the deployment's price.
    const characters = items.reduce((sum, item) => sum + item.input.length, 0);
    expect(done.usage.characters).toBe(characters);
    expect(done.usage.cost_usd).toBeCloseTo(characters * PRICE, 9);
    for (const [index, item] of done.items.entries()) {
      expect(item.index).toBe(index);
      expect(item.custom_id).toBe(`line-${index}`);
      expect(item.status).toBe('completed');
      expect(item.characters).toBe(items[index]?.input.length);
      expect(item.cost_usd).toBeCloseTo((items[index]?.input.length ?? 0) * PRICE, 10);
      expect(item.provider).toBe('openai');
      expect(item.attempts).toBe(1);
    }
    expect(fake.requests.filter((request) => request.path === '/v1/audio/speech')).toHaveLength(50);

    // Every URL works without an API key and decodes as the format asked for.
    for (const [index, item] of done.items.entries()) {
      const format = items[index]?.response_format ?? 'mp3';
      expect(item.audio?.url).toMatch(new RegExp(`^${s3.endpoint}/speech-audio/jobs/${job.id}/items/${index}\\.`));
      const response = await fetch(item.audio?.url ?? '');
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.length).toBe(item.audio?.bytes);
      const probed = await probeAudio(bytes, format === 'opus' ? 'ogg' : format);
      expect(probed.codec).toBe(CODECS[format]);
      expect(probed.duration).toBeGreaterThan(0.9);
    }

    // The webhook came once, signed per Standard Webhooks, carrying the finished job.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0];
    if (delivery === undefined) throw new Error('no webhook');
    const event = new Webhook(secret ?? '').verify(delivery.body, delivery.headers) as { id: string; type: string; data: JobView };
    expect(event.type).toBe('speech.job.completed');
    expect(event.id).toBe(delivery.headers['webhook-id']);
    expect(event.data.id).toBe(job.id);
    expect(event.data.request_counts.completed).toBe(50);
    expect(event.data.items[7]?.audio?.url).toContain(`/items/7.`);
    expect(() => new Webhook(`whsec_${Buffer.from('another secret of enough length').toString('base64')}`).verify(delivery.body, delivery.headers)).toThrow();
  });

  it("serves an item's bytes through the API for its owner", async () => {
    const created = await harness.request('POST', '/v1/audio/speech/jobs', {
      body: { model: 'narrator', voice: 'nova', response_format: 'wav', items: [{ input: 'Just one.' }] },
    });
    const job = created.body as JobView;
    await waitUntil(
      async () => (((await harness.request('GET', `/v1/audio/speech/jobs/${job.id}`)).body as JobView).status === 'completed' ? true : undefined),
      30_000,
      'the job',
    );
    const response = await fetch(`${harness.baseUrl}/v1/audio/speech/jobs/${job.id}/items/0/audio`, { headers: { authorization: 'Bearer sk-master' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    const probed = await probeAudio(new Uint8Array(await response.arrayBuffer()), 'wav');
    expect(probed.sampleRate).toBe(24_000);
    const unauthenticated = await fetch(`${harness.baseUrl}/v1/audio/speech/jobs/${job.id}/items/0/audio`);
    expect(unauthenticated.status).toBe(401);
  });
});
