import { describe, expect, it } from 'vitest';
import { genericApiCallbackSchema } from '../../../../src/config/sections/governance.js';
import { createHttpCallback } from '../../../../src/governance/logging/http-callback.js';
import type { SpendRow } from '../../../../src/governance/spend/spend-row.js';
import { testLogger } from '../../../helpers/log-sink.js';

function row(index: number, status: SpendRow['status'] = 'success'): SpendRow {
  return {
    request_id: `req_${index}`,
    call_type: 'aspeech',
    api_key: 'master',
    spend: 0.001,
    total_tokens: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    startTime: '2025-01-01T00:00:00.000Z',
    endTime: '2025-01-01T00:00:01.000Z',
    completionStartTime: null,
    model: 'tts-1',
    model_id: 'd1',
    model_group: 'tts-1',
    custom_llm_provider: 'openai',
    user: null,
    end_user: null,
    status,
    characters: 10,
    cache_hit: false,
    cache_key: '',
    metadata: {
      source: 'sync',
      job_id: null,
      item_index: null,
      outcome: status === 'success' ? 'success' : 'error',
      error_code: null,
      attempts: 1,
      latency_ms: 1000,
      first_byte_ms: 100,
      audio_bytes: 10,
    },
  };
}

describe('the generic_api logging callback', () => {
  it('sends batches of batch_size, retries a failed batch, and filters by event_types', async () => {
    const batches: string[][] = [];
    let calls = 0;
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      calls += 1;
      if (calls === 2) return new Response('busy', { status: 503 });
      batches.push((JSON.parse(String(init?.body)) as SpendRow[]).map((sent) => sent.request_id));
      return new Response('{}', { status: 200 });
    };
    const settings = genericApiCallbackSchema.parse({
      callback_type: 'generic_api',
      endpoint: 'http://logs.example/ingest',
      batch_size: 2,
      event_types: ['llm_api_success'],
      flush_interval_seconds: 3600,
    });
    const callback = createHttpCallback('sink', 'http://logs.example/ingest', settings, { fetch, logger: testLogger().logger, sleep: async () => {} });
    for (const index of [1, 2, 3, 4, 5]) callback.accept(row(index, index === 3 ? 'failure' : 'success'));
    await callback.close();
    expect(batches).toEqual([
      ['req_1', 'req_2'],
      ['req_4', 'req_5'],
    ]);
    expect(calls).toBe(3);
  });

  it('keeps at most max_buffer rows while the endpoint is down, dropping the oldest, and gives up after max_retries', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: string[][] = [];
    let calls = 0;
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      calls += 1;
      await gate;
      sent.push((JSON.parse(String(init?.body)) as SpendRow[]).map((entry) => entry.request_id));
      return new Response('', { status: calls <= 3 ? 500 : 200 });
    };
    const { rawLogs: lines, logger } = testLogger();
    const settings = genericApiCallbackSchema.parse({
      callback_type: 'generic_api',
      batch_size: 2,
      max_buffer: 3,
      max_retries: 2,
      flush_interval_seconds: 3600,
    });
    const callback = createHttpCallback('sink', 'http://logs.example/ingest', settings, { fetch, logger, sleep: async () => {} });
    // The first two rows start a batch that hangs; accept() must return at once regardless.
    for (let index = 1; index <= 8; index += 1) callback.accept(row(index));
    release();
    await callback.close();
    // The first batch failed three times (one try, two retries) and was given up; of the six
    // rows that arrived meanwhile only the newest three were kept.
    expect(sent).toEqual([['req_1', 'req_2'], ['req_1', 'req_2'], ['req_1', 'req_2'], ['req_6', 'req_7'], ['req_8']]);
    expect(lines.join('')).toMatch(/gave up on a batch/);
    expect(lines.join('')).toMatch(/oldest rows dropped/);
  });
});
