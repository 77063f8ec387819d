import type { Logger } from 'pino';
import type { ModelCatalog } from '../../core/catalog.js';
import type { SynthesisRecord, SynthesisRecorder } from '../../core/synthesis-context.js';
import type { KeyStore } from '../keys/key-store.js';
import type { SpendRow } from './spend-row.js';
import type { SpendStore } from './spend-store.js';

/** Receives each spend row once it is built (logging callbacks). Must not throw or block. */
export interface SpendRowSink {
  accept(row: SpendRow): void;
}

export interface SpendRecorder extends SynthesisRecorder {
  /** Resolves once every record taken so far has been written (or has failed and been logged). */
  idle(): Promise<void>;
}

export interface SpendRecorderDependencies {
  readonly store: SpendStore;
  readonly keys: KeyStore | undefined;
  readonly catalog: ModelCatalog;
  readonly logger: Logger;
  readonly sinks: readonly SpendRowSink[];
}

const TOKEN = /^[0-9a-f]{64}$/;

/**
 * Writes one spend row per synthesis (a sync call or a job item) without holding the caller:
 * the write runs in the background and a failure is logged, never thrown.
 */
export function createSpendRecorder(dependencies: SpendRecorderDependencies): SpendRecorder {
  const pending = new Set<Promise<void>>();
  return {
    record(record) {
      const write = (async () => {
        const row = toSpendRow(record, dependencies.catalog, await ownerOf(record.context.keyId));
        for (const sink of dependencies.sinks) sink.accept(row);
        await dependencies.store.append(row, record.startedAt);
      })().catch((error: unknown) => {
        dependencies.logger.error({ err: error, requestId: record.context.requestId, model: record.model }, 'spend record could not be written');
      });
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };

  async function ownerOf(keyId: string): Promise<string | null> {
    if (dependencies.keys === undefined || !TOKEN.test(keyId)) return null;
    return (await dependencies.keys.get(keyId))?.user_id ?? null;
  }
}

export function toSpendRow(record: SynthesisRecord, catalog: ModelCatalog, owner: string | null): SpendRow {
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
