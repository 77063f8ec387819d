import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GatewayEvent, QueueDepthSource } from '../../domain/events.js';
import type { SynthesisRecorder } from '../../core/synthesis-context.js';

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts each synthesis (sync call or job item) when it ends. */
  readonly recorder: SynthesisRecorder;
  /** Counts router, job and webhook events. */
  observe(event: GatewayEvent): void;
}

/** The speech cache's stored audio, read when metrics are scraped. */
export interface CacheSizeSource {
  storedBytes(): Promise<number>;
}

export interface GatewayMetricsDependencies {
  readonly queueDepth?: QueueDepthSource;
  readonly cacheSize?: CacheSizeSource;
  readonly logger: Logger;
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/**
 * Prometheus metrics on a registry of their own (never prom-client's global one, so two
 * gateways in one process, as in tests, do not share counters).
 */
export function createGatewayMetrics(dependencies: GatewayMetricsDependencies): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'tts_requests_total',
    help: 'Syntheses (sync calls and job items) by model group, deployment and outcome.',
    labelNames: ['model_group', 'deployment', 'provider', 'source', 'status'],
    registers,
  });
  const duration = new Histogram({
    name: 'tts_request_duration_seconds',
    help: 'Time from the start of a synthesis to the end of its audio.',
    labelNames: ['model_group', 'deployment', 'source', 'status'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const firstByte = new Histogram({
    name: 'tts_time_to_first_byte_seconds',
    help: 'Time from the start of a synthesis to its first audio byte.',
    labelNames: ['model_group', 'deployment'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const characters = new Counter({
    name: 'tts_characters_total',
    help: 'Input characters synthesised.',
    labelNames: ['model_group', 'deployment', 'provider'],
    registers,
  });
  const cost = new Counter({ name: 'tts_cost_usd_total', help: 'Spend in USD.', labelNames: ['model_group', 'deployment', 'provider'], registers });
  const attempts = new Counter({
    name: 'tts_provider_attempts_total',
    help: 'Calls to upstream deployments by outcome.',
    labelNames: ['model_group', 'deployment', 'provider', 'outcome'],
    registers,
  });
  const attemptDuration = new Histogram({
    name: 'tts_provider_attempt_duration_seconds',
    help: 'Time an upstream call took to produce its first audio or fail.',
    labelNames: ['model_group', 'deployment', 'provider'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const providerErrors = new Counter({
    name: 'tts_provider_errors_total',
    help: 'Failed upstream calls by error kind.',
    labelNames: ['model_group', 'deployment', 'provider', 'kind'],
    registers,
  });
  const retries = new Counter({
    name: 'tts_retries_total',
    help: 'Retries on another (or the same) deployment.',
    labelNames: ['model_group', 'deployment', 'reason'],
    registers,
  });
  const fallbacks = new Counter({
    name: 'tts_fallbacks_total',
    help: 'Fallbacks from one model group to another.',
    labelNames: ['from_model', 'to_model'],
    registers,
  });
  const cooldowns = new Counter({
    name: 'tts_cooldowns_total',
    help: 'Deployments put in cooldown.',
    labelNames: ['model_group', 'deployment', 'reason'],
    registers,
  });
  const jobsCreated = new Counter({ name: 'tts_jobs_created_total', help: 'Jobs accepted.', registers });
  const jobItemsCreated = new Counter({ name: 'tts_job_items_created_total', help: 'Items in the jobs accepted.', registers });
  const jobsFinished = new Counter({ name: 'tts_jobs_finished_total', help: 'Jobs ended, by status.', labelNames: ['status'], registers });
  const itemsFinished = new Counter({
    name: 'tts_job_items_finished_total',
    help: 'Job items ended, by model group and status.',
    labelNames: ['model_group', 'status'],
    registers,
  });
  const webhooks = new Counter({ name: 'tts_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome.', labelNames: ['outcome'], registers });
  const cacheLookups = new Counter({
    name: 'tts_cache_lookups_total',
    help: 'Speech cache lookups by outcome: hit, miss, or bypass (no-cache).',
    labelNames: ['model_group', 'source', 'outcome'],
    registers,
  });
  const cacheHits = new Counter({
    name: 'tts_cache_hits_total',
    help: 'Syntheses served from the speech cache.',
    labelNames: ['model_group', 'source'],
    registers,
  });
  const cacheMisses = new Counter({
    name: 'tts_cache_misses_total',
    help: 'Speech cache lookups that found nothing.',
    labelNames: ['model_group', 'source'],
    registers,
  });
  const cacheEvictions = new Counter({
    name: 'tts_cache_evictions_total',
    help: 'Speech cache entries removed for the size cap or their TTL.',
    labelNames: ['reason'],
    registers,
  });
  const { queueDepth, cacheSize, logger } = dependencies;
  if (cacheSize !== undefined) {
    new Gauge({
      name: 'tts_cache_stored_bytes',
      help: 'Audio bytes held by the speech cache, read at scrape time.',
      registers,
      async collect() {
        try {
          this.set(await cacheSize.storedBytes());
        } catch (error) {
          logger.warn({ err: error }, 'speech cache size could not be read for metrics');
        }
      },
    });
  }
  if (queueDepth !== undefined) {
    new Gauge({
      name: 'tts_queue_depth',
      help: 'Jobs in each queue by state, read at scrape time.',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        try {
          for (const [queue, states] of Object.entries(await queueDepth.depths())) {
            for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count);
          }
        } catch (error) {
          // A scrape must still answer when Redis is slow: the gauge is left empty instead.
          logger.warn({ err: error }, 'queue depth could not be read for metrics');
        }
      },
    });
  }

  return {
    registry,
    recorder: {
      record(record) {
        const deployment = record.deploymentId ?? '';
        const provider = record.provider ?? '';
        requests.inc({ model_group: record.model, deployment, provider, source: record.context.source, status: record.status });
        duration.observe({ model_group: record.model, deployment, source: record.context.source, status: record.status }, record.latencyMs / 1000);
        if (record.firstByteMs !== undefined) firstByte.observe({ model_group: record.model, deployment }, record.firstByteMs / 1000);
        if (record.deploymentId !== undefined) {
          characters.inc({ model_group: record.model, deployment, provider }, record.characters);
          cost.inc({ model_group: record.model, deployment, provider }, record.costUsd);
        }
      },
    },
    observe(event) {
      switch (event.type) {
        case 'attempt':
          attempts.inc({ model_group: event.modelName, deployment: event.deploymentId, provider: event.provider, outcome: event.outcome });
          attemptDuration.observe({ model_group: event.modelName, deployment: event.deploymentId, provider: event.provider }, event.durationMs / 1000);
          if (event.outcome !== 'success')
            providerErrors.inc({ model_group: event.modelName, deployment: event.deploymentId, provider: event.provider, kind: event.outcome });
          break;
        case 'retry':
          retries.inc({ model_group: event.modelName, deployment: event.deploymentId, reason: event.reason });
          break;
        case 'fallback':
          fallbacks.inc({ from_model: event.fromModel, to_model: event.toModel });
          break;
        case 'cooldown':
          cooldowns.inc({ model_group: event.modelName, deployment: event.deploymentId, reason: event.reason });
          break;
        case 'job_created':
          jobsCreated.inc();
          jobItemsCreated.inc(event.items);
          break;
        case 'job_finished':
          jobsFinished.inc({ status: event.status });
          break;
        case 'item_finished':
          itemsFinished.inc({ model_group: event.modelName, status: event.status });
          break;
        case 'webhook_delivery':
          webhooks.inc({ outcome: event.outcome });
          break;
        case 'cache_lookup':
          cacheLookups.inc({ model_group: event.modelName, source: event.source, outcome: event.outcome });
          if (event.outcome === 'hit') cacheHits.inc({ model_group: event.modelName, source: event.source });
          else if (event.outcome === 'miss') cacheMisses.inc({ model_group: event.modelName, source: event.source });
          break;
        case 'cache_eviction':
          cacheEvictions.inc({ reason: event.reason }, event.entries);
          break;
      }
    },
  };
}
