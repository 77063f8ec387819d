import { describe, expect, it, vi } from 'vitest';
import type { ModelCatalog } from '../../../../src/domain/catalog.js';
import type { SynthesisRecord } from '../../../../src/core/synthesis-context.js';
import { createSpendRecorder } from '../../../../src/governance/spend/spend-recorder.js';
import type { SpendRow } from '../../../../src/governance/spend/spend-row.js';
import type { SpendEntry, SpendStore } from '../../../../src/governance/spend/spend-store.js';
import { createLogger } from '../../../../src/logging/logger.js';
import { testLogger } from '../../../helpers/log-sink.js';

const catalog: ModelCatalog = { modelNames: ['tts-1'], aliases: [], group: () => undefined, resolve: (name) => name, deployment: () => undefined };

const record: SynthesisRecord = {
  context: { requestId: 'req_failing', source: 'job', keyId: 'master', jobId: 'job_1', itemIndex: 2 },
  model: 'tts-1',
  deploymentId: undefined,
  provider: undefined,
  characters: 5,
  costUsd: 0,
  status: 'error',
  errorCode: 'upstream_unavailable',
  attempts: 3,
  startedAt: Date.parse('2025-01-01T00:00:00Z'),
  latencyMs: 40,
  firstByteMs: undefined,
  audioBytes: 0,
};

function failingStore(written: SpendRow[]): SpendStore {
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    append: async (row) => {
      written.push(row);
      throw new Error('redis is down');
    },
    appendMany: async (entries) => {
      written.push(...entries.map((entry) => entry.row));
      throw new Error('redis is down');
    },
    query: unused,
    totals: unused,
    budgetWindow: unused,
    setBudgetReset: unused,
    forget: unused,
  };
}

describe('the spend recorder', () => {
  it('returns at once, and logs (with the request id) a record it could not write instead of throwing', async () => {
    const { logs: lines, logger } = testLogger();
    const written: SpendRow[] = [];
    const recorder = createSpendRecorder({ store: failingStore(written), keys: undefined, catalog, logger, sinks: [] });
    expect(() => recorder.record(record)).not.toThrow();
    expect(written).toHaveLength(0);
    await recorder.idle();
    expect(written[0]).toMatchObject({
      request_id: 'req_failing',
      status: 'failure',
      spend: 0,
      model_id: null,
      metadata: { source: 'job', job_id: 'job_1', item_index: 2, outcome: 'error', error_code: 'upstream_unavailable', attempts: 3 },
    });
    expect(lines).toEqual([expect.objectContaining({ level: 'error', requestId: 'req_failing', msg: 'spend record could not be written' })]);
  });
});

/** A store that keeps each batch it is given, so a test sees how records were grouped. */
function batchingStore(batches: SpendEntry[][]): SpendStore {
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    append: unused,
    appendMany: async (entries) => {
      batches.push([...entries]);
    },
    query: unused,
    totals: unused,
    budgetWindow: unused,
    setBudgetReset: unused,
    forget: unused,
  };
}

const { errorCode: _failureCode, ...succeeded } = record;
const item = (index: number): SynthesisRecord => ({
  ...succeeded,
  context: { ...record.context, requestId: `req_${index}`, itemIndex: index },
  status: 'success',
  costUsd: 0.001 * index,
  startedAt: record.startedAt + index,
});

describe('the spend recorder buffer', () => {
  it('writes a full buffer at once, in one batch, without waiting for the delay', async () => {
    const batches: SpendEntry[][] = [];
    const recorder = createSpendRecorder({
      store: batchingStore(batches),
      keys: undefined,
      catalog,
      logger: createLogger('silent'),
      sinks: [],
      batching: { maxRows: 3, maxDelayMs: 3_600_000 },
    });
    for (const index of [1, 2, 3, 4]) recorder.record(item(index));
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    expect(batches[0]?.map((entry) => [entry.row.request_id, entry.row.spend, entry.at])).toEqual(
      [1, 2, 3].map((index) => [`req_${index}`, 0.001 * index, record.startedAt + index]),
    );
    // The fourth waits for the next batch (or idle), not for an hour.
    await recorder.idle();
    expect(batches.map((batch) => batch.map((entry) => entry.row.request_id))).toEqual([['req_1', 'req_2', 'req_3'], ['req_4']]);
  });

  it('writes what waits once the delay has passed, without idle()', async () => {
    const batches: SpendEntry[][] = [];
    const recorder = createSpendRecorder({
      store: batchingStore(batches),
      keys: undefined,
      catalog,
      logger: createLogger('silent'),
      sinks: [],
      batching: { maxRows: 1000, maxDelayMs: 5 },
    });
    recorder.record(item(1));
    recorder.record(item(2));
    expect(batches).toHaveLength(0);
    await vi.waitFor(() => expect(batches.flat().map((entry) => entry.row.request_id)).toEqual(['req_1', 'req_2']));
    expect(batches).toHaveLength(1);
  });

  it('writes everything buffered on idle() (as close does), and hands each row to the sinks', async () => {
    const batches: SpendEntry[][] = [];
    const sunk: SpendRow[] = [];
    const recorder = createSpendRecorder({
      store: batchingStore(batches),
      keys: undefined,
      catalog,
      logger: createLogger('silent'),
      sinks: [{ accept: (row) => sunk.push(row) }],
      batching: { maxRows: 1000, maxDelayMs: 3_600_000 },
    });
    for (const index of [1, 2, 3]) recorder.record(item(index));
    await recorder.idle();
    expect(batches.flat().map((entry) => entry.row.request_id)).toEqual(['req_1', 'req_2', 'req_3']);
    expect(sunk.map((row) => row.request_id)).toEqual(['req_1', 'req_2', 'req_3']);
    // Nothing is left behind to be written twice.
    await recorder.idle();
    expect(batches.flat()).toHaveLength(3);
  });
});
