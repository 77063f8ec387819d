import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectRedis } from '../../src/redis/connection.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

it('runs a real redis-server with AOF and no eviction, whose data survives a restart', async () => {
  const client = connectRedis(redis.url);
  expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  await client.set('survives', 'yes');
  client.disconnect();
  // Give everysec fsync its second.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  redis = await redis.restart();
  const again = connectRedis(redis.url);
  expect(await again.get('survives')).toBe('yes');
  again.disconnect();
});
