import { Queue, type ConnectionOptions } from 'bullmq';
import { QUEUE_NAMES, queueJobIds, queuePrefix } from './names.js';
import { controlPayloadSchema, itemPayloadSchema, webhookPayloadSchema, type ItemPayload, type WebhookPayload } from './payloads.js';

export interface QueueSettings {
  readonly prefix: string;
  readonly itemAttempts: number;
  readonly webhookAttempts: number;
}

/** Everything that puts work on the queues; payloads are validated before they are written. */
export interface JobQueues {
  dispatch(jobId: string): Promise<void>;
  finalise(jobId: string): Promise<void>;
  expire(jobId: string, delayMs: number): Promise<void>;
  items(payloads: readonly ItemPayload[]): Promise<void>;
  webhook(payload: WebhookPayload): Promise<void>;
  /** Queue sizes by state, for metrics. */
  depths(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

/** A finished job's BullMQ entry is only bookkeeping: the job record is the source of truth. */
const KEEP_FAILED = { age: 7 * 24 * 3600 };

export function createJobQueues(connection: ConnectionOptions, settings: QueueSettings): JobQueues {
  const options = { connection, prefix: queuePrefix(settings.prefix) };
  const control = new Queue(QUEUE_NAMES.control, options);
  const items = new Queue(QUEUE_NAMES.items, options);
  const webhooks = new Queue(QUEUE_NAMES.webhooks, options);
  const addControl = async (payload: unknown, jobId: string, delay = 0): Promise<void> => {
    const data = controlPayloadSchema.parse(payload);
    await control.add(data.kind, data, {
      jobId,
      delay,
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
    });
  };
  return {
    dispatch: (jobId) => addControl({ kind: 'dispatch', jobId }, queueJobIds.dispatch(jobId)),
    finalise: (jobId) => addControl({ kind: 'finalise', jobId }, queueJobIds.finalise(jobId)),
    expire: (jobId, delayMs) => addControl({ kind: 'expire', jobId }, queueJobIds.expire(jobId), delayMs),
    async items(payloads) {
      await items.addBulk(
        payloads.map((payload) => {
          const data = itemPayloadSchema.parse(payload);
          return {
            name: 'item',
            data,
            opts: {
              jobId: queueJobIds.item(data.jobId, data.index),
              attempts: settings.itemAttempts,
              backoff: { type: 'item' },
              removeOnComplete: true,
              removeOnFail: KEEP_FAILED,
            },
          };
        }),
      );
    },
    async webhook(payload) {
      const data = webhookPayloadSchema.parse(payload);
      await webhooks.add('delivery', data, {
        jobId: queueJobIds.webhook(data.eventId),
        attempts: settings.webhookAttempts,
        backoff: { type: 'webhook' },
        removeOnComplete: true,
        removeOnFail: KEEP_FAILED,
      });
    },
    async depths() {
      const states = ['waiting', 'active', 'delayed', 'failed'] as const;
      const entries = await Promise.all([control, items, webhooks].map(async (queue) => [queue.name, await queue.getJobCounts(...states)] as const));
      return Object.fromEntries(entries);
    },
    async close() {
      await Promise.all([control.close(), items.close(), webhooks.close()]);
    },
  };
}
