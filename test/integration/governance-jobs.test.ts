import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import { hashVirtualKey } from '../../src/governance/keys/key-secret.js';
import type { SpendRow } from '../../src/governance/spend/spend-row.js';
import { connectRedis } from '../../src/redis/connection.js';
import { contractCase as polly } from '../contract/cases/aws-polly.case.js';
import { contractCase as openai } from '../contract/cases/openai.case.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';
import { dumpRedis } from '../helpers/dump-redis.js';

const MASTER = 'sk-master-governance-jobs';

let redis: TestRedis;
let fakes: FakeServer[];
let running: RunningGateway;
let blocking: RedisClient;
let workers: { close(): Promise<void> } | undefined;
let audioDirectory: string;

beforeAll(async () => {
  redis = await startTestRedis();
  fakes = await Promise.all([openai.startFake(), polly.startFake()]);
  audioDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-governance-jobs-'));
  const [openaiFake, pollyFake] = fakes as [FakeServer, FakeServer];
  running = await startGateway({
    clock: movableClock(),
    redis: redis.url,
    masterKey: MASTER,
    environment: { ...openai.environment?.(openaiFake), ...polly.environment?.(pollyFake) },
    config: {
      // One group over two providers: the router spreads the items between them.
      model_list: [
        { model_name: 'mixed', litellm_params: { ...openai.litellmParams(openaiFake), input_cost_per_character: 0.00002 }, model_info: { id: 'mixed-openai' } },
        { model_name: 'mixed', litellm_params: polly.litellmParams(pollyFake), model_info: { id: 'mixed-polly' } },
      ],
      router_settings: { num_retries: 0 },
      governance_settings: { redis_prefix: `${uniquePrefix('gov-jobs')}:` },
      job_settings: { redis_prefix: uniquePrefix('gov-jobs-queue'), concurrency: 2 },
      storage_settings: { path: audioDirectory },
    },
  });
  blocking = connectRedis(redis.url, { blocking: true });
  workers = running.gateway.jobs?.startWorkers(blocking);
});
afterAll(async () => {
  await workers?.close();
  await running.gateway.jobs?.close();
  await running.close();
  blocking.disconnect();
  await Promise.all(fakes.map((fake) => fake.close()));
  await redis.stop();
  await rm(audioDirectory, { recursive: true, force: true });
});

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${running.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

async function finished(id: string, key: string): Promise<JobView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await call('GET', `/v1/audio/speech/jobs/${id}`, key)).body as JobView;
    if (['completed', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('governance of jobs', () => {
  it('records every item of a mixed batch and the sync calls, adding up to what each cost; no raw key in job data', async () => {
    expect(running.gateway.jobs).toBeDefined();
    const generated = await call('POST', '/key/generate', MASTER, { models: ['mixed'], key_alias: 'batch' });
    const key = String((generated.body as { key: string }).key);
    const token = hashVirtualKey(key);

    const items = Array.from({ length: 8 }, (_unused, index) => ({ input: `Item number ${index} of the mixed batch.`, custom_id: `item-${index}` }));
    const created = await call('POST', '/v1/audio/speech/jobs', key, {
      model: 'mixed',
      voice: 'alloy',
      response_format: 'mp3',
      items,
      metadata: { purpose: 'governance' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const job = await finished((created.body as JobView).id, key);
    expect(job.status).toBe('completed');

    const syncCosts: number[] = [];
    for (const input of ['A sync call.', 'Another sync call.', 'A third one.']) {
      const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mixed', input, voice: 'alloy', user: 'eve' }),
      });
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      syncCosts.push(Number(response.headers.get('x-tts-cost-usd')));
    }
    await running.gateway.governance.settled();

    const itemCosts = job.items.map((item) => item.cost_usd ?? 0);
    expect(itemCosts.every((cost) => cost > 0)).toBe(true);
    const rows = (await call('GET', `/spend/logs?api_key=${encodeURIComponent(key)}`, MASTER)).body as SpendRow[];
    const jobRows = rows.filter((row) => row.metadata.source === 'job');
    expect(jobRows.every((row) => row.metadata.job_id === job.id && row.api_key === token)).toBe(true);
    expect(new Set(jobRows.map((row) => row.metadata.item_index))).toEqual(new Set(job.items.map((item) => item.index)));
    expect(sum(jobRows.map((row) => row.spend))).toBeCloseTo(sum(itemCosts), 12);
    expect(sum(rows.map((row) => row.spend))).toBeCloseTo(sum(itemCosts) + sum(syncCosts), 12);
    // Each item's row names the deployment (and provider) the job says served it.
    for (const item of job.items) {
      const row = jobRows.find((candidate) => candidate.metadata.item_index === item.index);
      expect(row?.model_id).toBe(item.deployment);
      expect(row?.custom_llm_provider).toBe(item.provider);
    }

    const stored = (await dumpRedis(running.redis)).join('\n');
    expect(stored).toContain(job.id);
    expect(stored).toContain(token);
    expect(stored).not.toContain(key.slice(3));
    expect(running.rawLogs.join('\n')).not.toContain(key.slice(3));
  });

  it('refuses a job past the key budget at creation', async () => {
    const generated = await call('POST', '/key/generate', MASTER, { models: ['mixed'], max_budget: 0 });
    const key = String((generated.body as { key: string }).key);
    const refused = await call('POST', '/v1/audio/speech/jobs', key, { model: 'mixed', voice: 'alloy', items: [{ input: 'Too expensive.' }] });
    expect(refused.status).toBe(429);
    expect((refused.body as { error: { code: string } }).error.code).toBe('budget_exceeded');
  });
});
