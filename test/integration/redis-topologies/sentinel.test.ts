import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ItemSpec } from '../../../src/jobs/job-records.js';
import { createJobStore } from '../../../src/jobs/job-store.js';
import { jobDefinition } from '../../helpers/job-definition.js';
import { connectRedis } from '../../../src/redis/connection.js';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { createRedisRouterState } from '../../../src/router/state/redis-router-state.js';
import { startTestSentinels, type TestSentinels } from '../../helpers/redis-topologies.js';
import { waitUntil } from '../../helpers/wait-until.js';

let sentinels: TestSentinels;
let client: RedisClient;
beforeAll(async () => {
  sentinels = await startTestSentinels();
  client = connectRedis(sentinels.url, { name: 'sentinel-test' });
  // Commands during the promotion fail fast (one retry); the test asks again, as callers do.
  client.on('error', () => undefined);
});
afterAll(async () => {
  client?.disconnect();
  await sentinels?.stop();
});

const spec: ItemSpec = { input: 'Hello.', customId: null, voice: 'alloy', format: 'pcm', speed: 1 };
const definition = jobDefinition({ id: 'job_00000000000000000000sent', total: 2, requestId: 'req_sentinel' });

it('follows the master the Sentinels name, through a promotion after the master is killed', async () => {
  const store = createJobStore(client, 'sentinel');
  await store.create(definition, [spec, spec], Date.now());
  expect(await store.startItem(definition.id, 0, 1_700_000_001)).toMatchObject({ kind: 'started', attempts: 1 });
  // WAIT: the replicas hold the write before the master goes, as AOF and replication do in time.
  expect(await client.call('WAIT', 2, 5000)).toBe(2);

  const before = await sentinels.master();
  await before.kill();
  const after = await sentinels.master();
  expect(after.port).not.toBe(before.port);

  // The same client, without being told, now reads and writes on the promoted replica.
  const started = await waitUntil(
    async () => {
      try {
        return await store.startItem(definition.id, 1, 1_700_000_002);
      } catch {
        return undefined;
      }
    },
    20_000,
    'the item started on the promoted master',
  );
  expect(started).toMatchObject({ kind: 'started', attempts: 1 });
  expect((await store.snapshot(definition.id))?.states.get(0)).toEqual({ status: 'in_progress', attempts: 1 });
  const state = createRedisRouterState(client, 'sentinel:router');
  await state.coolDown('a', { untilMs: Date.now() + 60_000, reason: 'failures' }, Date.now());
  expect((await state.cooldowns(['a'], Date.now())).has('a')).toBe(true);
  expect(String(await client.call('ROLE'))).toMatch(/^master/);
});
