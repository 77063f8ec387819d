import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ModelCatalog } from '../../../src/core/catalog.js';
import type { SynthesisRecord } from '../../../src/core/synthesis-context.js';
import { createSpendRecorder } from '../../../src/governance/spend/spend-recorder.js';
import type { SpendRow } from '../../../src/governance/spend/spend-row.js';
import type { SpendStore } from '../../../src/governance/spend/spend-store.js';
import { createLogger } from '../../../src/logging/logger.js';

const catalog: ModelCatalog = { modelNames: ['tts-1'], group: () => undefined, deployment: () => undefined };

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
    query: unused,
    totals: unused,
    budgetWindow: unused,
    setBudgetReset: unused,
    forget: unused,
  };
}

describe('the spend recorder', () => {
  it('returns at once, and logs (with the request id) a record it could not write instead of throwing', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, callback) => (lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>), callback()) }));
    const written: SpendRow[] = [];
    const recorder = createSpendRecorder({ store: failingStore(written), keys: undefined, catalog, logger, sinks: [] });
    expect(() => recorder.record(record)).not.toThrow();
    expect(written).toHaveLength(0);
    await recorder.idle();
    expect(written[0]).toMatchObject({ request_id: 'req_failing', status: 'failure', spend: 0, model_id: null, metadata: { source: 'job', job_id: 'job_1', item_index: 2, outcome: 'error', error_code: 'upstream_unavailable', attempts: 3 } });
    expect(lines).toEqual([expect.objectContaining({ level: 'error', requestId: 'req_failing', msg: 'spend record could not be written' })]);
  });
});
