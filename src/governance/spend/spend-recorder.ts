import type { Logger } from 'pino';
import type { ModelCatalog } from '../../domain/catalog.js';
import type { SynthesisRecord, SynthesisRecorder } from '../../core/synthesis-context.js';
import type { KeyStore } from '../keys/key-store.js';
import type { SpendRow } from './spend-row.js';
import type { SpendStore } from './spend-store.js';

/** Receives each spend row once it is built (logging callbacks). Must not throw or block. */
export interface SpendRowSink {
  accept(row: SpendRow): void;
}

export interface SpendRecorder extends SynthesisRecorder {
  /** Writes what is buffered now, and resolves once every record taken so far has been written (or has failed and been logged). */
  idle(): Promise<void>;
}

/** Records are written in batches: whichever comes first, `maxRows` records or `maxDelayMs` after the first. */
interface SpendBatching {
  readonly maxRows: number;
  readonly maxDelayMs: number;
}

export interface SpendRecorderDependencies {
  readonly store: SpendStore;
  readonly keys: KeyStore | undefined;
  readonly catalog: ModelCatalog;
  readonly logger: Logger;
  readonly sinks: readonly SpendRowSink[];
  /** Default: 200 rows or 20 ms. */
  readonly batching?: SpendBatching;
}

const TOKEN = /^[0-9a-f]{64}$/;
const DEFAULT_BATCHING: SpendBatching = { maxRows: 200, maxDelayMs: 20 };

/**
 * Writes one spend row per synthesis (a sync call or a job item) without holding the caller.
 * Records wait in a small buffer and are written together in one transaction: at job-worker
 * rates one round trip per record costs more than the rest of the bookkeeping. The wait is
 * bounded (`maxDelayMs`), `idle()` writes at once (it runs on close), and a failed write is
 * logged per record, never thrown.
 */
export function createSpendRecorder(dependencies: SpendRecorderDependencies): SpendRecorder {
  const batching = dependencies.batching ?? DEFAULT_BATCHING;
  const pending = new Set<Promise<void>>();
  let buffered: SynthesisRecord[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (buffered.length === 0) return;
    const records = buffered;
    buffered = [];
    const write = (async () => {
      const owners = await ownersOf(records);
      const entries = records.map((record) => ({
        row: toSpendRow(record, dependencies.catalog, owners.get(record.context.keyId) ?? null),
        at: record.startedAt,
      }));
      for (const { row } of entries) for (const sink of dependencies.sinks) sink.accept(row);
      await dependencies.store.appendMany(entries);
    })().catch((error: unknown) => {
      for (const record of records)
        dependencies.logger.error({ err: error, requestId: record.context.requestId, model: record.model }, 'spend record could not be written');
    });
    pending.add(write);
    void write.finally(() => pending.delete(write));
  };

  return {
    record(record) {
      buffered.push(record);
      if (buffered.length >= batching.maxRows) flush();
      else timer ??= setTimeout(flush, batching.maxDelayMs);
    },
    async idle() {
      flush();
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };

  /** The owner (`user_id`) of each virtual key among the records, read once per key and batch. */
  async function ownersOf(records: readonly SynthesisRecord[]): Promise<ReadonlyMap<string, string | null>> {
    const keyIds = [...new Set(records.map((record) => record.context.keyId))].filter((keyId) => TOKEN.test(keyId));
    const owners = new Map<string, string | null>();
    if (dependencies.keys === undefined) return owners;
    const keys = dependencies.keys;
    await Promise.all(keyIds.map(async (keyId) => owners.set(keyId, (await keys.get(keyId))?.user_id ?? null)));
    return owners;
  }
}

function toSpendRow(record: SynthesisRecord, catalog: ModelCatalog, owner: string | null): SpendRow {
  const deployment = record.deploymentId === undefined ? undefined : catalog.deployment(record.deploymentId);
  const { context } = record;
  return {
    request_id: context.requestId,
    call_type: 'aspeech',
    api_key: context.keyId,
    spend: record.costUsd,
    // Speech is billed per character; LiteLLM's token fields stay for clients that read them.
    total_tokens: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    startTime: new Date(record.startedAt).toISOString(),
    endTime: new Date(record.startedAt + record.latencyMs).toISOString(),
    completionStartTime: record.firstByteMs === undefined ? null : new Date(record.startedAt + record.firstByteMs).toISOString(),
    model: deployment?.model ?? record.model,
    model_id: record.deploymentId ?? null,
    model_group: record.model,
    custom_llm_provider: record.provider ?? null,
    user: owner,
    end_user: context.endUser ?? null,
    status: record.status === 'success' ? 'success' : 'failure',
    characters: record.characters,
    cache_hit: record.cacheHit === true,
    cache_key: record.cacheKey ?? '',
    metadata: {
      source: context.source,
      job_id: context.jobId ?? null,
      item_index: context.itemIndex ?? null,
      outcome: record.status,
      error_code: record.errorCode ?? null,
      attempts: record.attempts,
      latency_ms: record.latencyMs,
      first_byte_ms: record.firstByteMs ?? null,
      audio_bytes: record.audioBytes,
    },
  };
}
