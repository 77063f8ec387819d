import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  createJobsClient,
  type Job,
  NotFoundError,
  verifyWebhook,
  WebhookVerificationError,
} from '../../src/library/index.js';
import { freePort } from '../../src/redis/private-redis.js';
import { probeAudio } from '../helpers/audio.js';
import { type ServerProcess, startServerProcess } from '../cli/server-process.js';

const root = resolve(import.meta.dirname, '../..');
const MASTER_KEY = 'sk-library-jobs-master';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let directory: string;
let server: ServerProcess;
let receiver: Server;
let receiverUrl: string;
const deliveries: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-jobs-client-'));
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  await writeFile(
    join(directory, 'config.yaml'),
    JSON.stringify({
      model_list: [{ model_name: 'tts-1', litellm_params: { model: 'espeak/en-us' } }],
      webhook_settings: { allow_private_networks: true },
    }),
  );
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  server = await startServerProcess(process.execPath, ['--import', tsx, join(root, 'src/main.ts'), '--config', 'config.yaml'], {
    cwd: directory,
    environment: { MASTER_KEY },
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  receiver?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('createJobsClient', () => {
  it('submits, reports progress while it waits, and downloads every item', async () => {
    const jobs = createJobsClient({ baseUrl: server.url, apiKey: MASTER_KEY });
    const submitted = await jobs.submit({
      model: 'tts-1',
      voice: 'alloy',
      responseFormat: 'flac',
      items: ['The first item.', { input: 'The second item.', customId: 'second/item', voice: 'nova', responseFormat: 'mp3' }],
      metadata: { batch: 'library' },
      idempotencyKey: 'library-jobs-1',
    });
    expect(submitted).toMatchObject({ object: 'speech.job', model: 'tts-1', request_counts: { total: 2 }, metadata: { batch: 'library' } });
    // The same idempotency key and body: the same job, not a second one.
    const again = await jobs.submit({
      model: 'tts-1',
      voice: 'alloy',
      responseFormat: 'flac',
      items: ['The first item.', { input: 'The second item.', customId: 'second/item', voice: 'nova', responseFormat: 'mp3' }],
      metadata: { batch: 'library' },
      idempotencyKey: 'library-jobs-1',
    });
    expect(again.id).toBe(submitted.id);

    const seen: Job[] = [];
    const done = await jobs.wait(submitted.id, { onProgress: (job) => seen.push(job), intervalMs: 50 });
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 2, completed: 2, failed: 0, cancelled: 0 });
    expect(seen.at(-1)?.status).toBe('completed');
    const finished = seen.map((job) => job.request_counts.completed);
    expect(finished).toEqual([...finished].sort((left, right) => left - right));

    const files = await jobs.download(done, join(directory, 'audio'));
    expect(files.map((file) => [file.index, file.customId])).toEqual([
      [0, null],
      [1, 'second/item'],
    ]);
    expect((await readdir(join(directory, 'audio'))).sort()).toEqual(['0.flac', 'second_item.mp3']);
    expect((await probeAudio(await readFile(join(directory, 'audio/0.flac')))).codec).toBe('flac');
    expect((await probeAudio(await readFile(join(directory, 'audio/second_item.mp3')))).codec).toBe('mp3');
    expect(files[1]?.bytes).toBe((await readFile(join(directory, 'audio/second_item.mp3'))).length);
  });

  it('verifies the webhook the server signs, and refuses a tampered body or another secret', async () => {
    const jobs = createJobsClient({ baseUrl: server.url, apiKey: MASTER_KEY });
    const job = await jobs.submit({ model: 'tts-1', voice: 'alloy', items: ['Announce me.'], webhook: { url: receiverUrl, secret: SECRET } });
    await jobs.wait(job.id, { intervalMs: 50 });
    for (let tries = 0; deliveries.length === 0 && tries < 400; tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    const delivery = deliveries[0];
    if (delivery === undefined) throw new Error('no webhook arrived');
    const event = verifyWebhook(delivery.headers, delivery.body, SECRET);
    expect(event).toMatchObject({ type: 'speech.job.completed', data: { id: job.id, status: 'completed' } });
    expect(event.data.items).toHaveLength(1);
    expect(verifyWebhook(new Headers(delivery.headers as Record<string, string>), delivery.body.toString('utf8'), SECRET).id).toBe(event.id);
    const tampered = Buffer.from(delivery.body.toString('utf8').replace('"completed"', '"failed"'));
    expect(() => verifyWebhook(delivery.headers, tampered, SECRET)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(delivery.headers, delivery.body, 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=')).toThrow(WebhookVerificationError);
  });

  it('throws the typed error of each failure the API answers', async () => {
    const jobs = createJobsClient({ baseUrl: server.url, apiKey: MASTER_KEY });
    await expect(jobs.get('job_0000')).rejects.toBeInstanceOf(NotFoundError);
    const bad = await jobs.submit({ model: 'tts-1', items: ['No voice.'] }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({ status: 400, param: 'items.0.voice' });
    const anonymous = await createJobsClient({ baseUrl: server.url })
      .get('job_0000')
      .catch((error: unknown) => error);
    expect(anonymous).toBeInstanceOf(AuthenticationError);
    expect(anonymous).toMatchObject({ status: 401 });
    const port = await freePort();
    await expect(createJobsClient({ baseUrl: `http://127.0.0.1:${port}` }).get('job_0000')).rejects.toBeInstanceOf(ConnectionError);
  });
});
