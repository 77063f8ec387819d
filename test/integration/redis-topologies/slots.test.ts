import { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ItemSpec } from '../../../src/jobs/job-records.js';
import { createJobStore } from '../../../src/jobs/job-store.js';
import { jobDefinition } from '../../helpers/job-definition.js';
import { queuePrefix } from '../../../src/queue/names.js';
import { connectRedis } from '../../../src/redis/connection.js';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { createRedisRouterState } from '../../../src/router/state/redis-router-state.js';
import { startTestCluster, type TestCluster } from '../../helpers/redis-topologies.js';

let cluster: TestCluster;
let client: RedisClient;
beforeAll(async () => {
  cluster = await startTestCluster();
  client = connectRedis(cluster.url, { name: 'slots-test' });
});
afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

/** Every key on every master, with the port of the master that holds it. */
async function keysByMaster(): Promise<Map<string, number>> {
  const placed = new Map<string, number>();
  for (const node of (client as Cluster).nodes('master')) {
    for (const key of await node.keys('*')) placed.set(key, node.options.port ?? 0);
  }
  return placed;
}

const spec: ItemSpec = { input: 'Hello.', customId: null, voice: 'alloy', format: 'pcm', speed: 1 };

const definition = (id: string) => jobDefinition({ id, requestId: 'req_slots' });

it('keeps BullMQ queues and job records in one slot, and spreads router state over the masters', async () => {
  // BullMQ's scripts touch several keys of a queue: its prefix is a hash tag.
  const queue = new Queue('speech-items', { connection: client, prefix: queuePrefix('slots') });
  await queue.add('item', { n: 1 }, { jobId: 'one' });
  await queue.add('item', { n: 2 }, { jobId: 'two', delay: 60_000 });
  await queue.close();

  const store = createJobStore(client, 'slots');
  const ids = Array.from({ length: 24 }, (_, index) => `job_${index.toString(16).padStart(24, '0')}`);
  for (const id of ids) {
    await store.create(definition(id), [spec], Date.now());
    expect(await store.startItem(id, 0, 1_700_000_001)).toMatchObject({ kind: 'started' });
  }
  const state = createRedisRouterState(client, 'slots:router');
  const deployments = Array.from({ length: 12 }, (_, index) => `deployment-${index}`);
  for (const id of deployments) await state.coolDown(id, { untilMs: Date.now() + 60_000, reason: 'failures' }, Date.now());
  expect((await state.cooldowns(deployments, Date.now())).size).toBe(deployments.length);

  const placed = await keysByMaster();
  const mastersOf = (pattern: RegExp): Set<number> => new Set([...placed].filter(([key]) => pattern.test(key)).map(([, port]) => port));
  const queues = mastersOf(/^\{slots\}:speech-items:/);
  expect(queues.size).toBe(1);
  // Every job's records (and the listings) on the queues' master, so a failover keeps or loses them together.
  expect(mastersOf(/^\{slots\}:jobs?:/)).toEqual(queues);
  expect([...placed.keys()].filter((key) => key.includes(':job:')).length).toBe(ids.length * 3);
  // Deployments land on different masters.
  expect(mastersOf(/^slots:router:\{deployment-/).size).toBeGreaterThan(1);
});
