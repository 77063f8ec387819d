import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pricePerCharacter } from '../../src/domain/cost.js';
import { hashVirtualKey } from '../../src/governance/keys/key-secret.js';
import type { SpendRow } from '../../src/governance/spend/spend-row.js';
import { contractCase as elevenlabs } from '../contract/cases/elevenlabs.case.js';
import { contractCase as minimax } from '../contract/cases/minimax.case.js';
import { contractCase as openai } from '../contract/cases/openai.case.js';
import { contractCase as polly } from '../contract/cases/aws-polly.case.js';
import type { ProviderContractCase } from '../contract/provider-case.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';

const MASTER = 'sk-master-spend-test';
/** One model group per provider, so each request's provider is known; OpenAI's price comes from the deployment. */
const PROVIDERS: ReadonlyArray<{ group: string; providerCase: ProviderContractCase; override?: number }> = [
  { group: 'voice-openai', providerCase: openai, override: 0.00002 },
  { group: 'voice-polly', providerCase: polly },
  { group: 'voice-elevenlabs', providerCase: elevenlabs },
  { group: 'voice-minimax', providerCase: minimax },
];
const MAX_END_USER_BUDGET = 0.05;

interface Received {
  readonly rows: SpendRow[];
  attempts: number;
}

let redis: TestRedis;
let running: RunningGateway;
let fakes: FakeServer[];
let receiver: Server;
const received: Received = { rows: [], attempts: 0 };

beforeAll(async () => {
  redis = await startTestRedis();
  fakes = await Promise.all(PROVIDERS.map(({ providerCase }) => providerCase.startFake()));
  // A logging endpoint that fails its first batch, to show batches are retried.
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.attempts += 1;
      if (received.attempts === 1) {
        response.writeHead(503).end();
        return;
      }
      received.rows.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SpendRow[]));
      response.writeHead(200).end('{}');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const environment: Record<string, string> = {};
  for (const [index, { providerCase }] of PROVIDERS.entries()) Object.assign(environment, providerCase.environment?.(fakes[index] as FakeServer));
  running = await startGateway({
    clock: movableClock(),
    redis: redis.url,
    masterKey: MASTER,
    environment,
    config: {
      model_list: PROVIDERS.map(({ group, providerCase, override }, index) => ({
        model_name: group,
        litellm_params: {
          ...providerCase.litellmParams(fakes[index] as FakeServer),
          ...(override === undefined ? {} : { input_cost_per_character: override }),
        },
        model_info: { id: `${group}-deployment` },
      })),
      governance_settings: { redis_prefix: `${uniquePrefix('spend')}:` },
      litellm_settings: { max_end_user_budget: MAX_END_USER_BUDGET, callbacks: ['spend-sink'] },
      callback_settings: {
        'spend-sink': {
          callback_type: 'generic_api',
          endpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/logs`,
          batch_size: 4,
          flush_interval_seconds: 3600,
        },
      },
    },
  });
});
afterAll(async () => {
  await running.close();
  await Promise.all(fakes.map((fake) => fake.close()));
  for (const { providerCase } of PROVIDERS) await providerCase.cleanup?.();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await redis.stop();
});

async function speak(
  key: string,
  model: string,
  input: string,
  endUser?: { field?: string; header?: string },
): Promise<{ status: number; cost: number; body: string }> {
  const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
      ...(endUser?.header === undefined ? {} : { 'x-end-user-id': endUser.header }),
    },
    body: JSON.stringify({ model, input, voice: 'alloy', response_format: 'mp3', ...(endUser?.field === undefined ? {} : { user: endUser.field }) }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  await running.gateway.governance.settled();
  return { status: response.status, cost: Number(response.headers.get('x-tts-cost-usd') ?? 'NaN'), body: response.ok ? '' : body.toString('utf8') };
}

/** A job item, as the worker runs it: the same use-case with the job's context. */
async function runItem(keyId: string, model: string, input: string, jobId: string, itemIndex: number, endUser = 'batch-owner'): Promise<number> {
  const synthesis = await running.gateway.synthesize({
    model,
    input,
    voice: 'alloy',
    format: 'mp3',
    speed: 1,
    signal: new AbortController().signal,
    context: { requestId: `${jobId}:${itemIndex}`, source: 'job', keyId, jobId, itemIndex, endUser },
  });
  for await (const chunk of synthesis.audio) expect(chunk.length).toBeGreaterThan(0);
  return synthesis.costUsd;
}

async function spendLogs(query: string, key = MASTER): Promise<SpendRow[]> {
  const response = await fetch(`${running.baseUrl}/spend/logs${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as SpendRow[];
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('spend across providers, sync calls and job items', () => {
  let virtualKey: string;
  const syncCosts: number[] = [];
  const itemCosts: number[] = [];

  it('records one row per sync call and per job item, adding up to what each call cost', async () => {
    const generated = await fetch(`${running.baseUrl}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'owner-1' }),
    });
    virtualKey = String(((await generated.json()) as { key: string }).key);
    for (const [index, { group }] of PROVIDERS.entries()) {
      const input = `Sentence number ${index + 1} for the spend test.`;
      const spoken = await speak(index % 2 === 0 ? MASTER : virtualKey, group, input, index % 2 === 0 ? { field: 'alice' } : { header: 'bob' });
      expect(spoken.status, spoken.body).toBe(200);
      // The header is the table's (or the deployment's) price times the characters sent.
      const deployment = running.gateway.catalog.deployment(`${group}-deployment`);
      expect(deployment).toBeDefined();
      expect(spoken.cost).toBeCloseTo(pricePerCharacter(deployment!) * input.length, 12);
      expect(spoken.cost).toBeGreaterThan(0);
      syncCosts.push(spoken.cost);
    }
    // A mixed batch: two items on each provider, under the virtual key.
    const token = hashVirtualKey(virtualKey);
    for (const [index, { group }] of [...PROVIDERS, ...PROVIDERS].entries()) {
      itemCosts.push(await runItem(token, group, `Item ${index} of the batch, read aloud.`, 'job_mixed', index));
    }
    await running.gateway.governance.settled();

    const rows = await spendLogs('');
    expect(rows).toHaveLength(PROVIDERS.length * 3);
    expect(sum(rows.map((row) => row.spend))).toBeCloseTo(sum(syncCosts) + sum(itemCosts), 12);
    expect(new Set(rows.map((row) => row.custom_llm_provider))).toEqual(
      new Set(PROVIDERS.map(({ providerCase }) => providerCase.providerId ?? providerCase.name)),
    );
    const items = rows.filter((row) => row.metadata.source === 'job');
    expect(items).toHaveLength(8);
    expect(sum(items.map((row) => row.spend))).toBeCloseTo(sum(itemCosts), 12);
    expect(items.map((row) => row.metadata.item_index).sort((left, right) => (left ?? 0) - (right ?? 0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(items.every((row) => row.metadata.job_id === 'job_mixed' && row.api_key === token && row.user === 'owner-1' && row.status === 'success')).toBe(true);
    const first = rows.find((row) => row.model_group === 'voice-polly' && row.metadata.source === 'sync');
    expect(first).toMatchObject({
      call_type: 'aspeech',
      model: 'neural',
      model_id: 'voice-polly-deployment',
      custom_llm_provider: 'aws_polly',
      end_user: 'bob',
      api_key: token,
      characters: 'Sentence number 2 for the spend test.'.length,
    });
  });

  it('filters by key (the key itself or its hash), end user, model and time', async () => {
    const token = hashVirtualKey(virtualKey);
    const byRawKey = await spendLogs(`?api_key=${encodeURIComponent(virtualKey)}`);
    const byHash = await spendLogs(`?api_key=${token}`);
    expect(byRawKey).toEqual(byHash);
    expect(byRawKey).toHaveLength(2 + 8);
    expect((await spendLogs('?api_key=master')).every((row) => row.api_key === 'master')).toBe(true);
    expect((await spendLogs('?end_user=alice')).map((row) => row.model_group).sort()).toEqual(['voice-elevenlabs', 'voice-openai']);
    expect((await spendLogs('?end_user=bob')).map((row) => row.model_group).sort()).toEqual(['voice-minimax', 'voice-polly']);
    expect(await spendLogs('?model=voice-elevenlabs')).toHaveLength(3);
    const all = await spendLogs('');
    const times = all.map((row) => Date.parse(row.startTime)).sort((left, right) => left - right);
    const middle = times[6] ?? 0;
    const later = await spendLogs(`?start_date=${new Date(middle).toISOString()}`);
    const earlier = await spendLogs(`?end_date=${new Date(middle).toISOString()}`);
    expect(later.length + earlier.length).toBe(all.length);
    expect(later.every((row) => Date.parse(row.startTime) >= middle)).toBe(true);
    const day = new Date(middle).toISOString().slice(0, 10);
    expect(await spendLogs(`?start_date=${day}&end_date=${day}`)).toHaveLength(all.length);
    // A key reads its own rows only.
    expect(await spendLogs('', virtualKey)).toHaveLength(10);
    const foreign = await fetch(`${running.baseUrl}/spend/logs?api_key=master`, { headers: { authorization: `Bearer ${virtualKey}` } });
    expect(foreign.status).toBe(403);
  });

  it('totals spend per key and per end user', async () => {
    const rows = await spendLogs('');
    const keys = (await (await fetch(`${running.baseUrl}/spend/keys`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as Array<{
      token: string;
      spend: number;
      user_id: string | null;
    }>;
    const token = hashVirtualKey(virtualKey);
    expect(keys.find((row) => row.token === token)).toMatchObject({ user_id: 'owner-1' });
    expect(keys.find((row) => row.token === token)?.spend).toBeCloseTo(sum(rows.filter((row) => row.api_key === token).map((row) => row.spend)), 12);
    expect(keys.find((row) => row.token === 'master')?.spend).toBeCloseTo(sum(rows.filter((row) => row.api_key === 'master').map((row) => row.spend)), 12);
    const users = (await (await fetch(`${running.baseUrl}/spend/end_users`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as Array<{
      user_id: string;
      spend: number;
      max_budget: number;
    }>;
    expect(users.map((row) => row.user_id).sort()).toEqual(['alice', 'batch-owner', 'bob']);
    for (const user of users) {
      expect(user.max_budget).toBe(MAX_END_USER_BUDGET);
      expect(user.spend).toBeCloseTo(sum(rows.filter((row) => row.end_user === user.user_id).map((row) => row.spend)), 12);
    }
  });

  it('sends every row to the logging callback in batches, retrying a failed batch', async () => {
    await running.gateway.governance.settled();
    const rows = await spendLogs('');
    expect(received.attempts).toBeGreaterThan(1);
    expect(received.rows.map((row) => row.request_id).sort()).toEqual(rows.map((row) => row.request_id).sort());
    expect(sum(received.rows.map((row) => row.spend))).toBeCloseTo(sum(rows.map((row) => row.spend)), 12);
  });

  it('stops an end user past litellm_settings.max_end_user_budget, for sync calls and job items', async () => {
    // ElevenLabs at $0.18 per 1,000 characters: 300 characters cost $0.054, over the $0.05 budget.
    const long = 'The quick brown fox jumps over the lazy dog. '.repeat(7).slice(0, 300);
    expect((await speak(MASTER, 'voice-elevenlabs', long, { field: 'carol' })).status).toBe(200);
    const refused = await speak(MASTER, 'voice-elevenlabs', 'One more.', { field: 'carol' });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'budget_exceeded', type: 'rate_limit_error' } });
    expect(JSON.parse(refused.body).error.message).toContain("'carol'");
    await expect(runItem('master', 'voice-elevenlabs', 'An item for carol.', 'job_carol', 0, 'carol')).rejects.toMatchObject({
      status: 429,
      code: 'budget_exceeded',
    });
    const carolRequests = fakes[2]?.requests.filter((request) => request.body.toString('utf8').includes('carol')) ?? [];
    expect(carolRequests).toHaveLength(0);
    // Another end user, and requests without one, are unaffected.
    expect((await speak(MASTER, 'voice-elevenlabs', 'Hello.', { field: 'dave' })).status).toBe(200);
    expect((await speak(MASTER, 'voice-elevenlabs', 'Hello.')).status).toBe(200);
  });
});
