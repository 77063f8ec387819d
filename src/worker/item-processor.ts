import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { EventSink } from '../domain/events.js';
import type { ItemState, JobDefinition } from '../jobs/job-records.js';
import type { JobStore } from '../jobs/job-store.js';
import type { JobQueues } from '../queue/producers.js';
import { itemPayloadSchema } from '../queue/payloads.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readFailure, RetryLaterError } from './retry-policy.js';
import { synthesizeItem, type ItemSynthesisDependencies } from './synthesize-item.js';

export interface ItemProcessorDependencies extends ItemSynthesisDependencies {
  readonly jobs: JobStore;
  readonly queues: JobQueues;
  readonly store: ObjectStore;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * One item: synthesize, store under its deterministic key, record. The record changes to a
 * terminal status once (an atomic script), so a retry after a crash overwrites the same
 * object and is never counted twice. The item that ends the job enqueues the finaliser.
 */
export function createItemProcessor(dependencies: ItemProcessorDependencies): (job: Job, token?: string, signal?: AbortSignal) => Promise<void> {
  const { jobs, queues, logger } = dependencies;
  // Definitions never change once written: cache a few, since a worker sees one job's items in a row.
  const definitions = new Map<string, JobDefinition>();
  const definitionOf = async (jobId: string): Promise<JobDefinition | undefined> => {
    const cached = definitions.get(jobId);
    if (cached !== undefined) return cached;
    const definition = await jobs.definition(jobId);
    if (definition === undefined) return undefined;
    if (definitions.size >= 64) definitions.delete(definitions.keys().next().value as string);
    definitions.set(jobId, definition);
    return definition;
  };

  const settle = async (definition: JobDefinition, index: number, state: ItemState): Promise<'counted' | 'discard' | 'kept'> => {
    const outcome = await jobs.finishItem(definition.id, index, state);
    if (outcome.kind === 'counted') {
      dependencies.events.emit({
        type: 'item_finished',
        status: state.status === 'completed' ? 'completed' : state.status === 'cancelled' ? 'cancelled' : 'failed',
        modelName: definition.model,
      });
      if (outcome.terminalItems >= definition.total) await queues.finalise(definition.id);
      return 'counted';
    }
    // Cancelled or deleted meanwhile: the audio just written belongs to nobody.
    return outcome.kind === 'duplicate' ? 'kept' : 'discard';
  };

  return async (job, _token, signal) => {
    const payload = itemPayloadSchema.parse(job.data);
    const started = await jobs.startItem(payload.jobId, payload.index, Math.floor(dependencies.now() / 1000));
    if (started.kind !== 'started') {
      // Ended earlier (a retry after a crash, a cancel): make sure the job's end was noticed.
      if (started.kind === 'terminal') {
        const snapshot = await jobs.snapshot(payload.jobId);
        if (snapshot !== undefined && snapshot.counts.completed + snapshot.counts.failed + snapshot.counts.cancelled >= snapshot.definition.total)
          await queues.finalise(payload.jobId);
      }
      return;
    }
    const definition = await definitionOf(payload.jobId);
    const spec = started.spec;
    if (definition === undefined || spec === undefined) return;
    const log = logger.child({ jobId: payload.jobId, item: payload.index });
    try {
      const result = await synthesizeItem(dependencies, {
        jobId: payload.jobId,
        index: payload.index,
        model: definition.model,
        spec,
        signal: signal ?? new AbortController().signal,
        context: {
          source: 'job',
          keyId: definition.keyId,
          jobId: payload.jobId,
          itemIndex: payload.index,
          requestId: definition.requestId,
          ...(definition.endUser === undefined ? {} : { endUser: definition.endUser }),
        },
      });
      const state: ItemState = {
        status: 'completed',
        attempts: started.attempts,
        audio: result.audio,
        characters: result.characters,
        costUsd: result.costUsd,
        deployment: result.deployment,
        provider: result.provider,
        ...(result.pieces > 1 ? { pieces: result.pieces } : {}),
      };
      if ((await settle(definition, payload.index, state)) === 'discard') await dependencies.store.delete(result.audio.key);
    } catch (error) {
      const failure = readFailure(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (failure.retryable && !lastAttempt) {
        log.warn({ err: error, attempt: started.attempts, retryAfterMs: failure.retryAfterMs }, 'item failed; it will be retried');
        throw new RetryLaterError(failure.message, failure.retryAfterMs, { cause: error });
      }
      log.warn({ err: error, attempt: started.attempts }, 'item failed for good');
      await settle(definition, payload.index, { status: 'failed', attempts: started.attempts, error: { code: failure.code, message: failure.message } });
    }
  };
}

/**
 * BullMQ gives up on an item by itself when its worker died too often holding it (stalled
 * beyond the limit); the processor never runs then, so the item is marked failed here.
 */
export async function markAbandonedItem(jobs: JobStore, queues: JobQueues, data: unknown, reason: string): Promise<void> {
  const parsed = itemPayloadSchema.safeParse(data);
  if (!parsed.success) return;
  const definition = await jobs.definition(parsed.data.jobId);
  if (definition === undefined) return;
  const outcome = await jobs.finishItem(definition.id, parsed.data.index, {
    status: 'failed',
    attempts: 0,
    error: { code: 'item_abandoned', message: reason },
  });
  if (outcome.kind === 'counted' && outcome.terminalItems >= definition.total) await queues.finalise(definition.id);
}
