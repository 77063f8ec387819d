import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../../src/domain/events.js';
import type { Principal } from '../../../src/domain/principal.js';
import { createJobRequestSchema } from '../../../src/jobs/job-request.js';
import { createJobService, type CreateJobCommand, type JobService } from '../../../src/jobs/job-service.js';
import { createJobStore, type JobStore } from '../../../src/jobs/job-store.js';
import type { JobQueues } from '../../../src/queue/producers.js';
import { connectRedis } from '../../../src/redis/connection.js';
import { createFilesystemStore } from '../../../src/storage/filesystem-store.js';
import { createUrlSigner } from '../../../src/storage/url-signing.js';
import { catalogOf, deployment } from '../router/router-fixtures.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../../helpers/redis.js';

/**
 * The jobs use-cases on their real record store (Redis) and a filesystem store, with the queues
 * replaced by a list of what was dispatched: no worker runs, so every job stays queued.
 */
let redis: TestRedis;
let client: RedisClient;
let directory: string;

beforeAll(async () => {
  redis = await startTestRedis();
  client = connectRedis(redis.url);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-job-service-'));
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
  await rm(directory, { recursive: true, force: true });
});

const alice: Principal = { kind: 'anonymous', keyId: 'key-alice' };
const bob: Principal = { kind: 'anonymous', keyId: 'key-bob' };
const master: Principal = { kind: 'master', keyId: 'master' };

function service(settings: { maxItemsPerJob?: number } = {}): { jobs: JobService; records: JobStore; dispatched: string[]; events: GatewayEvent[] } {
  const records = createJobStore(client, uniquePrefix('job-service'));
  const dispatched: string[] = [];
  const events: GatewayEvent[] = [];
  const queues: JobQueues = {
    dispatch: async (jobId) => {
      dispatched.push(jobId);
    },
    finalise: async () => {},
    expire: async () => {},
    items: async () => {},
    webhook: async () => {},
    depths: async () => ({}),
    close: async () => {},
  };
  let clock = 1_750_000_000_000;
  const jobs = createJobService({
    jobs: records,
    queues,
    store: createFilesystemStore({ root: join(directory, 'audio'), signer: createUrlSigner(async () => 'a-test-secret'), now: () => clock }),
    catalog: catalogOf([deployment('dep-a', { modelName: 'narrator' })]),
    events: { emit: (event) => events.push(event) },
    // Every job is created a millisecond after the last, so listings have one order.
    now: () => (clock += 1),
    settings: { maxItemsPerJob: settings.maxItemsPerJob ?? 100, urlExpirySeconds: 600, idempotencyHours: 24 },
  });
  return { jobs, records, dispatched, events };
}

function create(principal: Principal, body: unknown, idempotencyKey?: string): CreateJobCommand {
  return { principal, body: createJobRequestSchema.parse(body), idempotencyKey, baseUrl: 'http://gateway.test', requestId: 'req_1' };
}

const body = (input = 'Hello.') => ({ model: 'narrator', voice: 'alloy', items: [{ input }] });

describe('the job service', () => {
  it('creates a queued job, dispatches it once and announces it', async () => {
    const { jobs, dispatched, events } = service();
    const { job, replayed } = await jobs.create(create(alice, { ...body(), items: [{ input: 'One.' }, { input: 'Two.', custom_id: 'b' }] }));
    expect(replayed).toBe(false);
    expect(job).toMatchObject({ object: 'speech.job', status: 'queued', model: 'narrator' });
    expect(job.id).toMatch(/^job_[a-f0-9]{24}$/);
    expect(dispatched).toEqual([job.id]);
    expect(events).toEqual([{ type: 'job_created', items: 2 }]);
  });

  it('refuses an unknown model and too many items, leaving nothing behind', async () => {
    const { jobs, dispatched } = service({ maxItemsPerJob: 2 });
    await expect(jobs.create(create(alice, { ...body(), model: 'nope' }))).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(jobs.create(create(alice, { ...body(), items: [{ input: 'a' }, { input: 'b' }, { input: 'c' }] }))).rejects.toMatchObject({
      status: 400,
      code: 'too_many_items',
      param: 'items',
    });
    expect(dispatched).toEqual([]);
    expect((await jobs.list(master, { limit: 10 })).data).toEqual([]);
  });

  it('replays the same body under the same Idempotency-Key as the same job, dispatching it again while it is queued', async () => {
    const { jobs, dispatched, events } = service();
    const first = await jobs.create(create(alice, body(), 'key-1'));
    const again = await jobs.create(create(alice, body(), 'key-1'));
    expect(again.replayed).toBe(true);
    expect(again.job.id).toBe(first.job.id);
    // A first request that died between writing and enqueueing is covered by the repeat.
    expect(dispatched).toEqual([first.job.id, first.job.id]);
    expect(events).toHaveLength(1);
    expect((await jobs.list(alice, { limit: 10 })).data.map((job) => job.id)).toEqual([first.job.id]);
  });

  it('answers a different body under a used Idempotency-Key with a conflict, and keys are per caller', async () => {
    const { jobs } = service();
    const first = await jobs.create(create(alice, body('First.'), 'key-1'));
    await expect(jobs.create(create(alice, body('Second.'), 'key-1'))).rejects.toMatchObject({ status: 409, code: 'idempotency_key_reused' });
    const bobs = await jobs.create(create(bob, body('Second.'), 'key-1'));
    expect(bobs.replayed).toBe(false);
    expect(bobs.job.id).not.toBe(first.job.id);
  });

  it('pages newest first with after and has_more, filters by status, and shows each key only its own jobs', async () => {
    const { jobs } = service();
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await jobs.create(create(alice, body(`Alice ${index}.`)))).job.id);
    const bobs = (await jobs.create(create(bob, body('Bob.')))).job.id;
    const newestFirst = [...ids].reverse();

    const page1 = await jobs.list(alice, { limit: 2 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, first_id: newestFirst[0], last_id: newestFirst[1] });
    expect(page1.data.map((job) => job.id)).toEqual(newestFirst.slice(0, 2));
    const page2 = await jobs.list(alice, { limit: 2, after: page1.last_id ?? '' });
    expect(page2.data.map((job) => job.id)).toEqual(newestFirst.slice(2, 4));
    expect(page2.has_more).toBe(true);
    const page3 = await jobs.list(alice, { limit: 2, after: page2.last_id ?? '' });
    expect(page3.data.map((job) => job.id)).toEqual(newestFirst.slice(4));
    expect(page3.has_more).toBe(false);

    expect((await jobs.list(bob, { limit: 10 })).data.map((job) => job.id)).toEqual([bobs]);
    expect((await jobs.list(master, { limit: 10 })).data.map((job) => job.id)).toEqual([bobs, ...newestFirst]);

    await jobs.cancel(alice, ids[1] ?? '');
    expect((await jobs.list(alice, { limit: 10, status: 'cancelled' })).data.map((job) => job.id)).toEqual([ids[1]]);
    const queued = await jobs.list(alice, { limit: 3, status: 'queued' });
    expect(queued.data.map((job) => job.id)).toEqual(newestFirst.filter((id) => id !== ids[1]).slice(0, 3));
    expect(queued.has_more).toBe(true);
    const empty = await jobs.list(alice, { limit: 10, status: 'completed' });
    expect(empty).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  it("answers another key's job exactly like a missing one", async () => {
    const { jobs } = service();
    const { job } = await jobs.create(create(alice, body()));
    const missing = { status: 404, code: 'job_not_found' };
    await expect(jobs.get(bob, job.id)).rejects.toMatchObject(missing);
    await expect(jobs.get(bob, 'job_000000000000000000000000')).rejects.toMatchObject(missing);
    await expect(jobs.cancel(bob, job.id)).rejects.toMatchObject(missing);
    await expect(jobs.remove(bob, job.id)).rejects.toMatchObject(missing);
    expect((await jobs.get(master, job.id)).id).toBe(job.id);
  });

  it('cancels a queued job once, then refuses, and deletes it for good', async () => {
    const { jobs } = service();
    const { job } = await jobs.create(create(alice, body()));
    expect((await jobs.cancel(alice, job.id)).status).toBe('cancelled');
    await expect(jobs.cancel(alice, job.id)).rejects.toMatchObject({ status: 409, code: 'job_not_cancellable' });
    await expect(jobs.itemAudio(alice, job.id, 0)).rejects.toMatchObject({ status: 404, code: 'audio_not_ready' });
    await expect(jobs.itemAudio(alice, job.id, 1)).rejects.toMatchObject({ status: 404, code: 'item_not_found' });
    expect(await jobs.remove(alice, job.id)).toEqual({ id: job.id, object: 'speech.job.deleted', deleted: true });
    await expect(jobs.get(alice, job.id)).rejects.toMatchObject({ status: 404, code: 'job_not_found' });
  });
});
