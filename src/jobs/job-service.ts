import { createHash, randomBytes } from 'node:crypto';
import { generateWebhookSecret } from '../webhooks/signing.js';
import type { Principal } from '../domain/principal.js';
import type { ModelCatalog } from '../domain/catalog.js';
import { invalidRequest, notFound } from '../domain/errors.js';
import type { EventSink } from '../domain/events.js';
import type { JobQueues } from '../queue/producers.js';
import type { ObjectStore, StoredObject } from '../storage/object-store.js';
import { idempotencyConflict, jobNotCancellable, jobNotFound } from './job-errors.js';
import { isTerminalJobStatus, JOB_STATUSES, type ItemSpec, type JobDefinition, type JobStatus } from './job-records.js';
import type { CreateJobRequest } from './job-request.js';
import type { JobSnapshot, JobStore } from './job-store.js';
import { renderJob, type JobView } from './job-view.js';

export interface JobServiceDependencies {
  readonly jobs: JobStore;
  readonly queues: JobQueues;
  readonly store: ObjectStore;
  readonly catalog: ModelCatalog;
  readonly events: EventSink;
  readonly now: () => number;
  readonly settings: { readonly maxItemsPerJob: number; readonly urlExpirySeconds: number; readonly idempotencyHours: number };
}

export interface CreateJobCommand {
  readonly principal: Principal;
  readonly body: CreateJobRequest;
  readonly idempotencyKey: string | undefined;
  readonly baseUrl: string;
  readonly requestId: string;
}

interface JobList {
  readonly object: 'list';
  readonly data: readonly JobView[];
  readonly first_id: string | null;
  readonly last_id: string | null;
  readonly has_more: boolean;
}

/** The jobs use-cases behind the HTTP routes; ownership is checked here, once. */
export interface JobService {
  create(command: CreateJobCommand): Promise<{ readonly job: JobView; readonly replayed: boolean }>;
  get(principal: Principal, jobId: string): Promise<JobView>;
  list(principal: Principal, options: { readonly limit: number; readonly after?: string; readonly status?: JobStatus }): Promise<JobList>;
  cancel(principal: Principal, jobId: string): Promise<JobView>;
  remove(principal: Principal, jobId: string): Promise<{ readonly id: string; readonly object: 'speech.job.deleted'; readonly deleted: true }>;
  itemAudio(principal: Principal, jobId: string, index: number): Promise<StoredObject>;
}

export function createJobService(dependencies: JobServiceDependencies): JobService {
  const { jobs, queues, store, now } = dependencies;
  const view = (snapshot: JobSnapshot): Promise<JobView> => renderJob(snapshot, { store, urlExpirySeconds: dependencies.settings.urlExpirySeconds, now });

  /** Another key's job is answered exactly like a missing one, so ids cannot be probed. */
  const owned = async (principal: Principal, jobId: string): Promise<JobSnapshot> => {
    const snapshot = /^job_[a-f0-9]{24}$/.test(jobId) ? await jobs.snapshot(jobId) : undefined;
    if (snapshot === undefined || (principal.kind !== 'master' && snapshot.definition.keyId !== principal.keyId)) throw jobNotFound(jobId);
    return snapshot;
  };

  const replay = async (principal: Principal, claim: string, fingerprint: string): Promise<JobView> => {
    const [jobId, claimedFingerprint] = claim.split(' ');
    if (claimedFingerprint !== fingerprint || jobId === undefined) throw idempotencyConflict();
    // The first request may still be writing the job: wait for it briefly.
    for (let waited = 0; waited < 10_000; waited += 100) {
      const snapshot = await jobs.snapshot(jobId);
      if (snapshot !== undefined) {
        // Dispatch is idempotent; repeating it covers a first request that died before enqueueing.
        if (snapshot.status === 'queued') await queues.dispatch(jobId);
        return owned(principal, jobId).then(view);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw jobNotFound(jobId);
  };

  return {
    async create({ principal, body, idempotencyKey, baseUrl, requestId }) {
      if (dependencies.catalog.group(body.model) === undefined) {
        throw notFound(`The model '${body.model}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
      }
      if (body.items.length > dependencies.settings.maxItemsPerJob) {
        throw invalidRequest(
          `A job holds at most ${dependencies.settings.maxItemsPerJob} items (job_settings.max_items_per_job); this one has ${body.items.length}.`,
          'items',
          'too_many_items',
        );
      }
      const jobId = `job_${randomBytes(12).toString('hex')}`;
      const createdAtMs = now();
      const idempotencyField = idempotencyKey === undefined ? undefined : createHash('sha256').update(idempotencyKey).digest('hex');
      const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      if (idempotencyField !== undefined) {
        const claim = await jobs.claimIdempotencyKey(
          principal.keyId,
          idempotencyField,
          `${jobId} ${fingerprint}`,
          dependencies.settings.idempotencyHours * 3600,
        );
        if (claim !== undefined) return { job: await replay(principal, claim, fingerprint), replayed: true };
      }
      const generatedSecret = body.webhook !== undefined && body.webhook.secret === undefined ? generateWebhookSecret() : undefined;
      const definition: JobDefinition = {
        id: jobId,
        keyId: principal.keyId,
        model: body.model,
        format: body.response_format,
        total: body.items.length,
        createdAt: Math.floor(createdAtMs / 1000),
        concatenate: body.concatenate,
        metadata: body.metadata ?? null,
        baseUrl,
        webhook: body.webhook === undefined ? null : { url: body.webhook.url, secret: body.webhook.secret ?? generatedSecret ?? '' },
        requestId,
        ...(body.user === undefined ? {} : { endUser: body.user }),
      };
      const specs: ItemSpec[] = body.items.map((item) => ({
        input: item.input,
        customId: item.custom_id ?? null,
        voice: item.voice ?? body.voice ?? '',
        format: item.response_format ?? body.response_format,
        speed: item.speed ?? body.speed,
        ...((item.instructions ?? body.instructions) === undefined ? {} : { instructions: item.instructions ?? body.instructions }),
      }));
      try {
        await jobs.create(definition, specs, createdAtMs);
        await queues.dispatch(jobId);
      } catch (error) {
        // Not accepted: leave nothing behind that a retry with the same key would find.
        await jobs.forget(jobId, principal.keyId).catch(() => undefined);
        if (idempotencyField !== undefined) await jobs.releaseIdempotencyKey(principal.keyId, idempotencyField).catch(() => undefined);
        throw error;
      }
      dependencies.events.emit({ type: 'job_created', items: specs.length });
      const job = await owned(principal, jobId).then(view);
      return {
        job: generatedSecret === undefined || job.webhook === null ? job : { ...job, webhook: { ...job.webhook, secret: generatedSecret } },
        replayed: false,
      };
    },

    get: (principal, jobId) => owned(principal, jobId).then(view),

    async list(principal, { limit, after, status }) {
      const owner = principal.kind === 'master' ? undefined : principal.keyId;
      const found: JobView[] = [];
      let cursor = after;
      let hasMore = false;
      // Pages of ids, filtered by status, until the page is full or the index runs out.
      for (;;) {
        const ids = await jobs.list(owner, cursor, Math.max(limit * 2, 20));
        for (const id of ids) {
          const snapshot = await jobs.snapshot(id);
          if (snapshot === undefined) continue;
          if (status !== undefined && snapshot.status !== status) continue;
          if (found.length === limit) {
            hasMore = true;
            break;
          }
          found.push(await view(snapshot));
        }
        if (hasMore || ids.length === 0) break;
        cursor = ids.at(-1);
      }
      return { object: 'list', data: found, first_id: found[0]?.id ?? null, last_id: found.at(-1)?.id ?? null, has_more: hasMore };
    },

    async cancel(principal, jobId) {
      const snapshot = await owned(principal, jobId);
      const changed = await jobs.cancel(jobId, snapshot.definition.total, Math.floor(now() / 1000));
      if (changed === undefined) throw jobNotFound(jobId);
      if (!changed) throw jobNotCancellable(jobId, snapshot.status);
      // The finaliser announces the cancellation and schedules the clean-up.
      await queues.finalise(jobId);
      return owned(principal, jobId).then(view);
    },

    async remove(principal, jobId) {
      const snapshot = await owned(principal, jobId);
      if (!isTerminalJobStatus(snapshot.status)) await jobs.cancel(jobId, snapshot.definition.total, Math.floor(now() / 1000));
      const keys = [...snapshot.states.values()].flatMap((state) => (state.audio === undefined ? [] : [state.audio.key]));
      if (snapshot.concatenated !== null) keys.push(snapshot.concatenated.key);
      await jobs.forget(jobId, snapshot.definition.keyId);
      // Records first: a worker finishing an item now finds the job gone and deletes its own audio.
      for (const key of keys) await store.delete(key);
      return { id: jobId, object: 'speech.job.deleted', deleted: true };
    },

    async itemAudio(principal, jobId, index) {
      const snapshot = await owned(principal, jobId);
      const state = snapshot.states.get(index);
      if (index >= snapshot.definition.total) throw notFound(`The job '${jobId}' has no item ${index}.`, 'item_not_found', 'index');
      if (state?.status !== 'completed' || state.audio === undefined) {
        throw notFound(`Item ${index} of job '${jobId}' has no audio (status ${state?.status ?? 'queued'}).`, 'audio_not_ready', 'index');
      }
      const object = await store.get(state.audio.key);
      if (object === undefined) throw notFound(`The audio of item ${index} of job '${jobId}' has expired.`, 'audio_not_found', 'index');
      return { ...object, contentType: state.audio.contentType };
    },
  };
}

export function parseJobStatus(value: string): JobStatus | undefined {
  return (JOB_STATUSES as readonly string[]).includes(value) ? (value as JobStatus) : undefined;
}
