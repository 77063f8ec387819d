import type { RedisClient } from '../../src/redis/redis-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemSpec } from '../../src/jobs/job-records.js';
import { createJobStore } from '../../src/jobs/job-store.js';
import { jobDefinition } from '../helpers/job-definition.js';
import { connectRedis } from '../../src/redis/connection.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let client: RedisClient;

beforeAll(async () => {
  redis = await startTestRedis();
  client = connectRedis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const definition = jobDefinition({ id: 'job_0123456789abcdef01234567', total: 2, requestId: 'req_store' });
const specs: ItemSpec[] = [
  { input: 'First.', customId: 'one', voice: 'alloy', format: 'pcm', speed: 1 },
  { input: 'Second.', customId: null, voice: 'nova', format: 'pcm', speed: 1.5, instructions: 'Slowly.' },
];

describe('starting an item', () => {
  it('marks it in progress and hands back its spec in the same step, attempt after attempt', async () => {
    const store = createJobStore(client, uniquePrefix('store'));
    await store.create(definition, specs, Date.now());
    expect(await store.startItem(definition.id, 1, 1_700_000_001)).toEqual({ kind: 'started', attempts: 1, spec: specs[1] });
    expect(await store.startItem(definition.id, 1, 1_700_000_002)).toEqual({ kind: 'started', attempts: 2, spec: specs[1] });
    const snapshot = await store.snapshot(definition.id);
    expect(snapshot?.status).toBe('in_progress');
    expect(snapshot?.states.get(1)).toEqual({ status: 'in_progress', attempts: 2 });
    // Once ended, the item is not started again and needs no spec.
    await store.finishItem(definition.id, 1, { status: 'failed', attempts: 2, error: { code: 'bad', message: 'refused' } });
    expect(await store.startItem(definition.id, 1, 1_700_000_003)).toEqual({ kind: 'terminal' });
    expect(await store.startItem('job_ffffffffffffffffffffffff', 0, 1_700_000_003)).toEqual({ kind: 'gone' });
  });
});
