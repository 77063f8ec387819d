import { Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import { QUEUE_NAMES, queuePrefix } from '../queue/names.js';
import { createControlProcessor, type ControlProcessorDependencies } from './control-processor.js';
import { createItemProcessor, markAbandonedItem, type ItemProcessorDependencies } from './item-processor.js';
import { backoffDelay } from './retry-policy.js';
import { createWebhookProcessor, type WebhookProcessorDependencies } from './webhook-processor.js';

interface WorkerSettings {
  readonly prefix: string;
  readonly concurrency: number;
  readonly lockSeconds: number;
  readonly itemBackoffSeconds: number;
  readonly webhookBackoffSeconds: number;
  readonly webhookMaxBackoffSeconds: number;
}

export interface JobWorkersDependencies {
  readonly connection: ConnectionOptions;
  readonly settings: WorkerSettings;
  readonly items: ItemProcessorDependencies;
  readonly control: ControlProcessorDependencies;
  readonly webhooks: WebhookProcessorDependencies;
  readonly logger: Logger;
  readonly random: () => number;
}

export interface JobWorkers {
  /** Stops taking work and waits for what is in flight; unfinished work returns to the queue. */
  close(): Promise<void>;
}

/** Item retries wait at most this long, whatever a provider hints. */
const MAX_ITEM_BACKOFF_MS = 10 * 60 * 1000;

/** The processors of the worker role, one BullMQ worker per queue. */
export function startJobWorkers(dependencies: JobWorkersDependencies): JobWorkers {
  const { settings, logger } = dependencies;
  const lockDuration = Math.round(settings.lockSeconds * 1000);
  const common = {
    connection: dependencies.connection,
    prefix: queuePrefix(settings.prefix),
    lockDuration,
    // A dead worker's items come back after about one lock period.
    stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
    maxStalledCount: 3,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string, error?: Error): number =>
        type === 'webhook'
          ? backoffDelay(attemptsMade, settings.webhookBackoffSeconds * 1000, settings.webhookMaxBackoffSeconds * 1000, error, dependencies.random)
          : backoffDelay(attemptsMade, settings.itemBackoffSeconds * 1000, MAX_ITEM_BACKOFF_MS, error, dependencies.random),
    },
  };
  // Files a killed worker was writing: older than a lock, their writer is gone (its item went back to the queue).
  const sweep = dependencies.items.store.sweepPartial?.(lockDuration).then(
    (removed) => {
      if (removed > 0) logger.info({ removed }, 'removed half-written audio left by stopped workers');
    },
    (error: unknown) => logger.warn({ err: error }, 'could not sweep half-written audio'),
  );
  const items = new Worker(QUEUE_NAMES.items, createItemProcessor(dependencies.items), { ...common, concurrency: settings.concurrency });
  const control = new Worker(QUEUE_NAMES.control, createControlProcessor(dependencies.control), { ...common, concurrency: 2 });
  const webhooks = new Worker(QUEUE_NAMES.webhooks, createWebhookProcessor(dependencies.webhooks), {
    ...common,
    concurrency: Math.max(4, settings.concurrency),
  });

  items.on('failed', (job, error) => {
    if (job === undefined) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(error.message);
    if (!exhausted) return;
    markAbandonedItem(dependencies.items.jobs, dependencies.items.queues, job.data, error.message).catch((failure: unknown) =>
      logger.error({ err: failure, queueJobId: job.id }, 'could not record an abandoned item'),
    );
  });
  for (const worker of [items, control, webhooks]) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'queue worker error'));
    worker.on('failed', (job, error) => {
      if (job !== undefined && worker !== items)
        logger.warn({ err: error, queue: worker.name, queueJobId: job.id, attempts: job.attemptsMade }, 'queue job failed');
    });
  }
  return {
    async close() {
      await Promise.all([items.close(), control.close(), webhooks.close(), sweep]);
    },
  };
}
