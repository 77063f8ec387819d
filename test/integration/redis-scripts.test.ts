import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { connectRedis } from '../../src/redis/connection.js';
import { defineScript } from '../../src/redis/redis-script.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const SOURCE = resolve(import.meta.dirname, '../../src');

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

it('every Lua script under src/ compiles on a real Redis, its includes resolved', async () => {
  const files = (await readdir(SOURCE, { recursive: true })).filter((file) => file.endsWith('.lua'));
  expect(files.length).toBeGreaterThanOrEqual(14);
  const client = connectRedis(redis.url);
  try {
    for (const file of files) {
      const script = defineScript(pathToFileURL(join(SOURCE, file)), z.unknown());
      expect(script.source()).not.toMatch(/@include/);
      // SCRIPT LOAD compiles without running: a syntax error fails here, naming the file.
      await expect(client.script('LOAD', script.source()), file).resolves.toMatch(/^[0-9a-f]{40}$/);
    }
  } finally {
    client.disconnect();
  }
});

it('a script still runs after Redis forgot it (SCRIPT FLUSH, as after a restart or failover)', async () => {
  const client = connectRedis(redis.url);
  try {
    const script = defineScript(pathToFileURL(join(SOURCE, 'governance/keys/scripts/take-request.lua')), z.number().int());
    expect(await script.run(client, ['rpm:flush-test'], [5, 60_000])).toBe(1);
    await client.script('FLUSH');
    expect(await script.run(client, ['rpm:flush-test'], [5, 60_000])).toBe(2);
  } finally {
    client.disconnect();
  }
});
