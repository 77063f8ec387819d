import type { RedisClient } from '../../src/redis/redis-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendRow } from '../../src/governance/spend/spend-row.js';
import { createRedisSpendStore, type SpendEntry, type SpendStore } from '../../src/governance/spend/spend-store.js';
import { connectRedis } from '../../src/redis/connection.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';

const DAY_MS = 86_400_000;
const START = Date.parse('2025-06-01T12:00:00Z');

function row(index: number, apiKey: string, endUser: string | null): SpendRow {
  return {
    request_id: `req_${index}`,
    call_type: 'aspeech',
    api_key: apiKey,
    spend: 0.000015 * (index + 1) * 7,
    total_tokens: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    startTime: new Date(START + index).toISOString(),
    endTime: new Date(START + index + 40).toISOString(),
    completionStartTime: null,
    model: 'tts-1',
    model_id: 'openai-tts-1',
    model_group: 'tts-1',
    custom_llm_provider: 'openai',
    user: null,
    end_user: endUser,
    status: 'success',
    characters: 7 * (index + 1),
    cache_hit: false,
    cache_key: '',
    metadata: {
      source: 'job',
      job_id: 'job_1',
      item_index: index,
      outcome: 'success',
      error_code: null,
      attempts: 1,
      latency_ms: 40,
      first_byte_ms: 5,
      audio_bytes: 4800,
    },
  };
}

/** Rows from two keys, some with an end user: every index and total is touched. */
const entries: SpendEntry[] = Array.from({ length: 30 }, (_, index) => ({
  row: row(index, index % 3 === 0 ? 'master' : 'key-a', index % 2 === 0 ? 'alice' : null),
  at: START + index,
}));

/** Everything a reader of the spend store can see. */
async function view(store: SpendStore): Promise<unknown> {
  const byId = (rows: SpendRow[]): string[] => rows.map((spend) => spend.request_id);
  return {
    all: byId(await store.query({ limit: 1000 })),
    master: byId(await store.query({ keyId: 'master', limit: 1000 })),
    alice: byId(await store.query({ endUser: 'alice', limit: 1000 })),
    window: byId(await store.query({ from: START + 10, to: START + 20, limit: 1000 })),
    rows: await store.query({ limit: 1000 }),
    keys: (await store.totals('key')).map((total) => ({ id: total.id, spend: total.spend.toFixed(12) })),
    users: (await store.totals('end_user')).map((total) => ({ id: total.id, spend: total.spend.toFixed(12) })),
    budget: (await store.budgetWindow({ kind: 'key', id: 'key-a' }, undefined, START)).spend.toFixed(12),
  };
}

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

describe('batched spend writes', () => {
  it('keep the same records, indexes and totals as one write per record', async () => {
    const single = createRedisSpendStore(client, `${uniquePrefix('single')}:`, 30 * DAY_MS);
    const batched = createRedisSpendStore(client, `${uniquePrefix('batched')}:`, 30 * DAY_MS);
    for (const entry of entries) await single.append(entry.row, entry.at);
    await batched.appendMany(entries.slice(0, 17));
    await batched.appendMany(entries.slice(17));
    const expected = await view(single);
    expect(await view(batched)).toEqual(expected);
    expect((expected as { all: string[] }).all).toHaveLength(30);
    expect((expected as { window: string[] }).window).toEqual([
      'req_19',
      'req_18',
      'req_17',
      'req_16',
      'req_15',
      'req_14',
      'req_13',
      'req_12',
      'req_11',
      'req_10',
    ]);
  });

  it('drops index entries past the retention as single writes do', async () => {
    const prefix = `${uniquePrefix('retention')}:`;
    const store = createRedisSpendStore(client, prefix, 1000);
    await store.appendMany([{ row: row(0, 'master', null), at: START }]);
    await store.appendMany([
      { row: row(1, 'master', null), at: START + 5000 },
      { row: row(2, 'master', null), at: START + 5001 },
    ]);
    expect(await client.zrange(`${prefix}spend:index:all`, 0, -1, 'WITHSCORES')).toHaveLength(4);
  });
});
