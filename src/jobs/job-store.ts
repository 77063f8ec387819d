import type { ChainableCommander } from 'ioredis';
import { z } from 'zod';
import {
  itemSpecSchema,
  itemStateSchema,
  JOB_STATUSES,
  jobDefinitionSchema,
  storedAudioSchema,
  webhookStateSchema,
  type ItemSpec,
  type ItemState,
  type JobDefinition,
  type JobStatus,
  type StoredAudio,
  type WebhookState,
} from './job-records.js';
import { queuePrefix } from '../queue/names.js';
import type { RedisClient } from '../redis/redis-client.js';
import { cancelJobScript, finishItemScript, startItemScript } from './job-scripts.js';

/** Everything known about a job at one moment. */
export interface JobSnapshot {
  readonly definition: JobDefinition;
  readonly status: JobStatus;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly expiresAt: number | null;
  readonly counts: { readonly completed: number; readonly failed: number; readonly cancelled: number };
  readonly specs: readonly ItemSpec[];
  readonly states: ReadonlyMap<number, ItemState>;
  readonly webhook: WebhookState | null;
  readonly concatenated: StoredAudio | null;
}

/** `spec` is undefined only if the job's specs vanished while its record remained (never written so). */
type StartItemOutcome =
  | { readonly kind: 'started'; readonly attempts: number; readonly spec: ItemSpec | undefined }
  | { readonly kind: 'gone' }
  | { readonly kind: 'terminal' };
type FinishItemOutcome =
  | { readonly kind: 'counted'; readonly terminalItems: number }
  | { readonly kind: 'gone' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'superseded' };

export interface JobStore {
  /** `createdAtMs` orders listings (definitions keep whole seconds, which tie). */
  create(definition: JobDefinition, specs: readonly ItemSpec[], createdAtMs: number): Promise<void>;
  definition(jobId: string): Promise<JobDefinition | undefined>;
  snapshot(jobId: string): Promise<JobSnapshot | undefined>;
  spec(jobId: string, index: number): Promise<ItemSpec | undefined>;
  /** Marks the item in progress (one more attempt) and returns its spec, in one round trip. */
  startItem(jobId: string, index: number, nowSeconds: number): Promise<StartItemOutcome>;
  finishItem(jobId: string, index: number, state: ItemState): Promise<FinishItemOutcome>;
  /** Cancels every item not yet ended. Undefined when the job is gone; false when it had already ended. */
  cancel(jobId: string, total: number, nowSeconds: number): Promise<boolean | undefined>;
  finish(
    jobId: string,
    fields: { readonly status: JobStatus; readonly completedAt: number; readonly expiresAt: number; readonly concatenated: StoredAudio | null },
  ): Promise<void>;
  setWebhookState(jobId: string, state: WebhookState): Promise<void>;
  /** Job ids newest first, after the id `after`; the master sees every owner's. */
  list(owner: string | undefined, after: string | undefined, count: number): Promise<readonly string[]>;
  forget(jobId: string, owner: string): Promise<void>;
  /** Lets Redis drop the records on its own too, in case the expiry job never runs. */
  expireIn(jobId: string, seconds: number): Promise<void>;
  /** Claims an idempotency key for `value`, or returns the value that holds it. */
  claimIdempotencyKey(owner: string, key: string, value: string, ttlSeconds: number): Promise<string | undefined>;
  releaseIdempotencyKey(owner: string, key: string): Promise<void>;
}

const countsSchema = z.object({ completed: z.coerce.number().default(0), failed: z.coerce.number().default(0), cancelled: z.coerce.number().default(0) });

/**
 * Key layout. Every key of the store shares BullMQ's hash tag (`{<prefix>}`, `queuePrefix`), so
 * on a Cluster a job's records live on the master that holds its queues. That is what makes a
 * failover safe: a replica that takes over holds a prefix of its master's writes, so a record
 * change and the queue move that follows it (an item counted, then its BullMQ entry completed)
 * are lost or kept together, and an item lost with its count comes back when its lock lapses.
 * On masters of their own, a lost count behind a kept completion would leave an item done in
 * BullMQ and unfinished in its job for good. The queues already put all of a job's traffic on
 * that master; the records add a fraction to it.
 */
export function createJobStore(redis: RedisClient, prefix: string): JobStore {
  const tag = queuePrefix(prefix);
  const keysOf = (jobId: string) => {
    const job = `${tag}:job:${jobId}`;
    return { job, specs: `${job}:specs`, items: `${job}:items`, counts: `${job}:counts` };
  };
  const ownerIndex = (owner: string): string => `${tag}:jobs:owner:${owner}`;
  const allIndex = `${tag}:jobs:all`;
  const idempotencyKey = (owner: string, key: string): string => `${tag}:idempotency:${owner}:${key}`;

  return {
    async create(definition, specs, createdAtMs) {
      const keys = keysOf(definition.id);
      const transaction = redis.multi();
      // Specs go first in slices, so a 10,000-item job is not one giant command.
      for (let start = 0; start < specs.length; start += 1000) {
        const slice: string[] = [];
        for (const [offset, spec] of specs.slice(start, start + 1000).entries()) slice.push(String(start + offset), JSON.stringify(spec));
        transaction.hset(keys.specs, ...slice);
      }
      transaction.hset(keys.job, 'definition', JSON.stringify(definition), 'status', 'queued');
      // One slot: the job and its place in the listings are written together or not at all.
      transaction.zadd(ownerIndex(definition.keyId), createdAtMs, definition.id);
      transaction.zadd(allIndex, createdAtMs, definition.id);
      await execOrThrow(transaction);
    },
    async definition(jobId) {
      const text = await redis.hget(keysOf(jobId).job, 'definition');
      return text === null ? undefined : jobDefinitionSchema.parse(JSON.parse(text));
    },
    async snapshot(jobId) {
      const keys = keysOf(jobId);
      const results = await redis.multi().hgetall(keys.job).hgetall(keys.counts).hgetall(keys.specs).hgetall(keys.items).exec();
      if (results === null) return undefined;
      const [job, counts, specs, items] = results.map(([error, value]) => {
        if (error) throw error;
        return value as Record<string, string>;
      }) as [Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>];
      if (job['definition'] === undefined) return undefined;
      const definition = jobDefinitionSchema.parse(JSON.parse(job['definition']));
      const specList: ItemSpec[] = [];
      for (let index = 0; index < definition.total; index += 1) {
        const text = specs[String(index)];
        if (text === undefined) throw new Error(`job ${jobId} has no item ${index}`);
        specList.push(itemSpecSchema.parse(JSON.parse(text)));
      }
      const states = new Map<number, ItemState>();
      for (const [field, text] of Object.entries(items)) states.set(Number(field), itemStateSchema.parse(JSON.parse(text)));
      return {
        definition,
        status: z.enum(JOB_STATUSES).parse(job['status']),
        startedAt: optionalNumber(job['started_at']),
        completedAt: optionalNumber(job['completed_at']),
        expiresAt: optionalNumber(job['expires_at']),
        counts: countsSchema.parse(counts),
        specs: specList,
        states,
        webhook: job['webhook'] === undefined ? null : webhookStateSchema.parse(JSON.parse(job['webhook'])),
        concatenated: job['concatenated'] === undefined ? null : storedAudioSchema.parse(JSON.parse(job['concatenated'])),
      };
    },
    async spec(jobId, index) {
      const text = await redis.hget(keysOf(jobId).specs, String(index));
      return text === null ? undefined : itemSpecSchema.parse(JSON.parse(text));
    },
    async startItem(jobId, index, nowSeconds) {
      const keys = keysOf(jobId);
      const result = await startItemScript.run(redis, [keys.job, keys.items, keys.specs], [index, nowSeconds]);
      if (result[0] === 'started') {
        const spec = result[2];
        return { kind: 'started', attempts: Number(result[1]), spec: spec === null ? undefined : itemSpecSchema.parse(JSON.parse(spec)) };
      }
      return result[0] === 'gone' ? { kind: 'gone' } : { kind: 'terminal' };
    },
    async finishItem(jobId, index, state) {
      const keys = keysOf(jobId);
      const result = await finishItemScript.run(redis, [keys.job, keys.items, keys.counts], [index, JSON.stringify(state), state.status]);
      if (result === -1) return { kind: 'gone' };
      if (result === -2) return { kind: 'duplicate' };
      if (result === -3) return { kind: 'superseded' };
      return { kind: 'counted', terminalItems: result };
    },
    async cancel(jobId, total, nowSeconds) {
      const keys = keysOf(jobId);
      const result = await cancelJobScript.run(redis, [keys.job, keys.items, keys.counts], [total, nowSeconds]);
      if (result === -1) return undefined;
      return result !== -2;
    },
    async finish(jobId, fields) {
      const values: string[] = ['status', fields.status, 'completed_at', String(fields.completedAt), 'expires_at', String(fields.expiresAt)];
      if (fields.concatenated !== null) values.push('concatenated', JSON.stringify(fields.concatenated));
      await redis.hset(keysOf(jobId).job, ...values);
    },
    async setWebhookState(jobId, state) {
      // Only an existing job: a delivery racing a delete must not resurrect a stub record.
      const key = keysOf(jobId).job;
      if ((await redis.exists(key)) === 1) await redis.hset(key, 'webhook', JSON.stringify(state));
    },
    async list(owner, after, count) {
      const index = owner === undefined ? allIndex : ownerIndex(owner);
      let start = 0;
      if (after !== undefined) {
        const rank = await redis.zrevrank(index, after);
        if (rank === null) return [];
        start = rank + 1;
      }
      return redis.zrevrange(index, start, start + count - 1);
    },
    async forget(jobId, owner) {
      const keys = keysOf(jobId);
      await execOrThrow(redis.multi().zrem(ownerIndex(owner), jobId).zrem(allIndex, jobId).del(keys.job, keys.specs, keys.items, keys.counts));
    },
    async expireIn(jobId, seconds) {
      const keys = keysOf(jobId);
      const transaction = redis.multi();
      for (const key of [keys.job, keys.specs, keys.items, keys.counts]) transaction.expire(key, Math.ceil(seconds));
      await execOrThrow(transaction);
    },
    async claimIdempotencyKey(owner, key, value, ttlSeconds) {
      const name = idempotencyKey(owner, key);
      const claimed = await redis.set(name, value, 'EX', Math.ceil(ttlSeconds), 'NX');
      if (claimed === 'OK') return undefined;
      return (await redis.get(name)) ?? undefined;
    },
    async releaseIdempotencyKey(owner, key) {
      await redis.del(idempotencyKey(owner, key));
    },
  };
}

/** A transaction's replies, or its first error (ioredis reports a failed command in the results, not by rejecting). */
async function execOrThrow(transaction: ChainableCommander): Promise<Array<[Error | null, unknown]>> {
  const results = (await transaction.exec()) ?? [];
  const failure = results.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
  return results;
}

function optionalNumber(value: string | undefined): number | null {
  return value === undefined ? null : Number(value);
}
