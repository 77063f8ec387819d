import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { concatenateAudio, decodeToPcm, pcmDurationSeconds } from '../audio/concatenate.js';
import { contentTypeOf } from '../audio/formats.js';
import type { Transcoder } from '../audio/transcode.js';
import type { EventSink } from '../domain/events.js';
import type { StoredAudio } from '../jobs/job-records.js';
import type { JobSnapshot, JobStore } from '../jobs/job-store.js';
import { controlPayloadSchema } from '../queue/payloads.js';
import type { JobQueues } from '../queue/producers.js';
import { concatenatedAudioKey } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import { measureDuration } from './measure-duration.js';

export interface ControlProcessorDependencies {
  readonly jobs: JobStore;
  readonly queues: JobQueues;
  readonly store: ObjectStore;
  readonly transcoder: Transcoder;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly now: () => number;
  readonly retentionSeconds: number;
}

type EndStatus = 'completed' | 'failed' | 'cancelled';

/** Items enqueued per round trip while dispatching. */
const DISPATCH_BATCH = 500;

/** Dispatch, finalise and expire: the job-level steps, each safe to run more than once. */
export function createControlProcessor(dependencies: ControlProcessorDependencies): (job: Job, token?: string, signal?: AbortSignal) => Promise<void> {
  const { jobs, queues } = dependencies;
  return async (job, _token, signal) => {
    const payload = controlPayloadSchema.parse(job.data);
    switch (payload.kind) {
      case 'dispatch':
        return dispatch(payload.jobId, job);
      case 'finalise':
        return finalise(payload.jobId, signal ?? new AbortController().signal);
      case 'expire':
        return expire(payload.jobId);
    }
  };

  async function dispatch(jobId: string, job: Job): Promise<void> {
    const definition = await jobs.definition(jobId);
    if (definition === undefined) return;
    // Resume where a dispatcher that died left off; re-adding an item is harmless anyway.
    const from = typeof job.progress === 'number' ? job.progress : 0;
    for (let start = from; start < definition.total; start += DISPATCH_BATCH) {
      const end = Math.min(definition.total, start + DISPATCH_BATCH);
      await queues.items(Array.from({ length: end - start }, (_, offset) => ({ jobId, index: start + offset })));
      await job.updateProgress(end);
    }
  }

  async function finalise(jobId: string, signal: AbortSignal): Promise<void> {
    const snapshot = await jobs.snapshot(jobId);
    if (snapshot === undefined) return;
    const { counts, definition } = snapshot;
    const ended = counts.completed + counts.failed + counts.cancelled;
    if (snapshot.status !== 'cancelled' && ended < definition.total) return;
    const status: EndStatus = snapshot.status === 'cancelled' ? 'cancelled' : counts.completed > 0 ? 'completed' : 'failed';
    let concatenated = snapshot.concatenated;
    if (definition.concatenate && status === 'completed' && concatenated === null) concatenated = await concatenate(snapshot, signal);
    const nowSeconds = Math.floor(dependencies.now() / 1000);
    const completedAt = snapshot.completedAt ?? nowSeconds;
    const expiresAt = completedAt + Math.ceil(dependencies.retentionSeconds);
    await jobs.finish(jobId, { status, completedAt, expiresAt, concatenated });
    if (definition.webhook !== null && (snapshot.webhook === null || snapshot.webhook.state === 'pending')) {
      if (snapshot.webhook === null)
        await jobs.setWebhookState(jobId, {
          state: 'pending',
          attempts: 0,
          lastStatus: null,
          lastError: null,
          lastAttemptAt: null,
          deliveredAt: null,
          history: [],
        });
      const type = status === 'completed' ? 'speech.job.completed' : status === 'failed' ? 'speech.job.failed' : 'speech.job.cancelled';
      // One event per job end, so its id (webhook-id) is derived, never drawn.
      await queues.webhook({ jobId, eventId: `msg_${jobId}_${status}`, type, createdAt: nowSeconds });
    }
    await queues.expire(jobId, Math.max(0, expiresAt * 1000 - dependencies.now()));
    // A safety net should the expiry job be lost: Redis forgets the records a day later.
    await jobs.expireIn(jobId, expiresAt - nowSeconds + 86_400);
    if (snapshot.completedAt === null || snapshot.status === 'cancelled') {
      dependencies.events.emit({ type: 'job_finished', status, items: definition.total });
    }
    dependencies.logger.info({ jobId, status, counts }, 'job ended');
  }

  async function concatenate(snapshot: JobSnapshot, signal: AbortSignal): Promise<StoredAudio> {
    const { definition } = snapshot;
    const key = concatenatedAudioKey(definition.id, definition.format);
    const completed = [...snapshot.states.entries()]
      .filter(([, state]) => state.status === 'completed' && state.audio !== undefined)
      .sort(([left], [right]) => left - right);
    let pcmBytes = 0;
    const store = dependencies.store;
    const transcoder = dependencies.transcoder;
    async function* parts(): AsyncGenerator<AsyncIterable<Uint8Array>> {
      for (const [index] of completed) {
        const spec = snapshot.specs[index];
        const state = snapshot.states.get(index);
        if (spec === undefined || state?.audio === undefined) continue;
        const object = await store.get(state.audio.key);
        if (object === undefined) throw new Error(`the audio of item ${index} is missing`);
        yield (async function* () {
          for await (const chunk of decodeToPcm(object.body, spec.format, transcoder, signal)) {
            pcmBytes += chunk.length;
            yield chunk;
          }
        })();
      }
    }
    const contentType = contentTypeOf(definition.format);
    // Measured on the encoded file, not the pcm: mp3 and AAC encoders pad the end by tens of milliseconds.
    const measured = measureDuration(concatenateAudio(parts(), definition.format, transcoder, signal), definition.format, transcoder, signal);
    const stored = await store.put(key, measured.audio, { contentType });
    return { key, contentType, bytes: stored.bytes, durationSeconds: (await measured.durationSeconds()) ?? pcmDurationSeconds(pcmBytes) };
  }

  async function expire(jobId: string): Promise<void> {
    const snapshot = await jobs.snapshot(jobId);
    if (snapshot === undefined) return;
    for (const state of snapshot.states.values()) if (state.audio !== undefined) await dependencies.store.delete(state.audio.key);
    if (snapshot.concatenated !== null) await dependencies.store.delete(snapshot.concatenated.key);
    await jobs.forget(jobId, snapshot.definition.keyId);
  }
}
