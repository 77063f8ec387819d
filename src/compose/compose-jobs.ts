import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { createFfmpegTranscoder } from '../audio/transcode.js';
import type { GatewayConfig } from '../config/schema.js';
import type { ModelCatalog } from '../domain/catalog.js';
import type { EventSink } from '../domain/events.js';
import type { Synthesize } from '../core/synthesize.js';
import { createJobQueues, type JobQueues } from '../queue/producers.js';
import { createObjectStore } from '../storage/create-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { UrlSigner } from '../storage/url-signing.js';
import { startJobWorkers, type JobWorkers } from '../worker/start-workers.js';
import { createJobService, type JobService } from '../jobs/job-service.js';
import { createJobStore, type JobStore } from '../jobs/job-store.js';

export interface JobsOptions {
  readonly config: GatewayConfig;
  readonly redis: RedisClient;
  readonly catalog: ModelCatalog;
  readonly synthesize: Synthesize;
  readonly ffmpegPath: string;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
}

/** The jobs side, built from one Redis client: producers and records for the API, processors for workers. */
export interface Jobs {
  readonly service: JobService;
  readonly store: ObjectStore;
  readonly records: JobStore;
  readonly queues: JobQueues;
  /** Present with the filesystem driver, whose signed download URLs the API serves. */
  readonly signer: UrlSigner | undefined;
  /** Runs the processors; `redis` is a connection BullMQ may block on (maxRetriesPerRequest: null). */
  startWorkers(redis: RedisClient): JobWorkers;
  close(): Promise<void>;
}

export function composeJobs(options: JobsOptions): Jobs {
  const { config, now, logger, events } = options;
  const jobSettings = config.job_settings;
  const storage = config.storage_settings;
  const webhookSettings = config.webhook_settings;
  const { store, signer } = createObjectStore(storage, now);
  const records = createJobStore(options.redis, jobSettings.redis_prefix);
  const queues = createJobQueues(options.redis, {
    prefix: jobSettings.redis_prefix,
    itemAttempts: jobSettings.item_attempts,
    webhookAttempts: webhookSettings.max_attempts,
  });
  const transcoder = createFfmpegTranscoder(options.ffmpegPath);
  const service = createJobService({
    jobs: records,
    queues,
    store,
    catalog: options.catalog,
    events,
    now,
    settings: { maxItemsPerJob: jobSettings.max_items_per_job, urlExpirySeconds: storage.url_expiry_seconds, idempotencyHours: jobSettings.idempotency_hours },
  });
  return {
    service,
    store,
    records,
    queues,
    signer,
    startWorkers: (redis) =>
      startJobWorkers({
        connection: redis,
        logger,
        random: options.random,
        settings: {
          prefix: jobSettings.redis_prefix,
          concurrency: jobSettings.concurrency,
          lockSeconds: jobSettings.lock_seconds,
          itemBackoffSeconds: jobSettings.item_backoff_seconds,
          webhookBackoffSeconds: webhookSettings.initial_backoff_seconds,
          webhookMaxBackoffSeconds: webhookSettings.max_backoff_seconds,
        },
        items: {
          jobs: records,
          queues,
          store,
          events,
          logger,
          now,
          synthesize: options.synthesize,
          catalog: options.catalog,
          transcoder,
          chunkParallelism: jobSettings.chunk_parallelism,
        },
        control: { jobs: records, queues, store, transcoder, events, logger, now, retentionSeconds: jobSettings.retention_hours * 3600 },
        webhooks: {
          jobs: records,
          store,
          events,
          logger,
          now,
          settings: {
            allowPrivateNetworks: webhookSettings.allow_private_networks,
            timeoutSeconds: webhookSettings.timeout_seconds,
            retryWindowSeconds: webhookSettings.retry_window_seconds,
            urlExpirySeconds: storage.url_expiry_seconds,
          },
        },
      }),
    close: () => queues.close(),
  };
}
