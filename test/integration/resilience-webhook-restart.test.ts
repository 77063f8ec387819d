import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const SECRET = `whsec_${Buffer.from('the receiver secret for restarts!').toString('base64')}`;
let redis: TestRedis;
let fake: FakeServer;
let harness: RunningGateway;
let directory: string;
let configPath: string;
const workers: ChildProcess[] = [];

interface Delivery {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly response: ServerResponse;
}
let receiver: Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake()]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-webhook-restart-'));
  // Answers nothing by itself: the test decides each delivery's fate.
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), response }));
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const config = {
    model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
    storage_settings: { path: join(directory, 'audio'), signing_secret: 'a-shared-secret-for-the-webhook-restart-test' },
    // Short locks: a killed worker's delivery comes back after about two seconds.
    job_settings: { redis_prefix: uniquePrefix('webhook-restart'), lock_seconds: 2 },
    webhook_settings: { allow_private_networks: true, initial_backoff_seconds: 1, max_backoff_seconds: 2, timeout_seconds: 30 },
  };
  configPath = join(directory, 'config.json');
  await writeFile(configPath, JSON.stringify(config));
  harness = await startGateway({ ...JOB_KEYS, redis: redis.url, config });
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await harness.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await Promise.all([redis.stop(), fake.close()]);
  await rm(directory, { recursive: true, force: true });
});

/** A real worker process against this test's config and Redis. */
async function startWorker(): Promise<ChildProcess> {
  const child = await startWorkerProcess(configPath, redis.url);
  workers.push(child);
  return child;
}

async function kill(worker: ChildProcess): Promise<void> {
  const exited = once(worker, 'exit');
  worker.kill('SIGKILL');
  await exited;
}

const deliveryNumber = (count: number): Promise<Delivery> =>
  waitUntil(async () => (deliveries.length >= count ? deliveries[count - 1] : undefined), 30_000, `delivery ${count}`);

it('delivers a webhook whose worker was killed mid-delivery and again while waiting to retry, with one event id throughout', async () => {
  const created = await harness.request('POST', '/v1/audio/speech/jobs', {
    body: { model: 'narrator', voice: 'alloy', items: [{ input: 'Tell them when I am done.' }], webhook: { url: receiverUrl, secret: SECRET } },
  });
  const id = (created.body as JobView).id;

  // First worker: synthesizes, starts delivering, and dies while the receiver holds the request.
  const first = await startWorker();
  await deliveryNumber(1);
  await kill(first);
  expect(((await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView).webhook?.status).toBe('pending');

  // Second worker: takes the stalled delivery back, is refused, and dies waiting to retry.
  const second = await startWorker();
  (await deliveryNumber(2)).response.writeHead(503).end();
  await waitUntil(
    async () => {
      const job = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return job.webhook?.last_status === 503 ? true : undefined;
    },
    10_000,
    'the refusal to be recorded',
  );
  await kill(second);

  // Third worker: the retry that was waiting in Redis goes out and is accepted.
  await startWorker();
  (await deliveryNumber(3)).response.writeHead(204).end();
  const job = await waitUntil(
    async () => {
      const current = (await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;
      return current.webhook?.status === 'delivered' ? current : undefined;
    },
    30_000,
    'the delivery to be recorded',
  );
  expect(job.webhook).toMatchObject({ status: 'delivered', last_status: 204 });
  expect(deliveries).toHaveLength(3);
  expect(new Set(deliveries.map((delivery) => delivery.headers['webhook-id'])).size).toBe(1);
  const last = deliveries[2];
  const headers = Object.fromEntries(Object.entries(last?.headers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const event = new Webhook(SECRET).verify(last?.body ?? '', headers) as { type: string; data: JobView };
  expect(event).toMatchObject({ type: 'speech.job.completed', data: { id, status: 'completed' } });
});
