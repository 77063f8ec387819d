import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { EventSink } from '../domain/events.js';
import { WEBHOOK_HISTORY, type WebhookAttempt, type WebhookState } from '../jobs/job-records.js';
import type { JobStore } from '../jobs/job-store.js';
import { renderJob } from '../jobs/job-view.js';
import { webhookPayloadSchema } from '../queue/payloads.js';
import type { ObjectStore } from '../storage/object-store.js';
import { guardedPost, type PostResult } from '../webhooks/guarded-request.js';
import { signWebhook } from '../webhooks/signing.js';
import { RetryLaterError } from './retry-policy.js';

export interface WebhookProcessorDependencies {
  readonly jobs: JobStore;
  readonly store: ObjectStore;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly now: () => number;
  readonly settings: {
    readonly allowPrivateNetworks: boolean;
    readonly timeoutSeconds: number;
    readonly retryWindowSeconds: number;
    readonly urlExpirySeconds: number;
  };
}

/**
 * One delivery attempt of a job's end event: Standard Webhooks signed, the same event id on
 * every attempt, the job object rendered afresh (so its audio URLs are valid when sent).
 * A 2xx ends it; a 410 or a forbidden address stops it; anything else is retried until the
 * window closes.
 */
export function createWebhookProcessor(dependencies: WebhookProcessorDependencies): (job: Job) => Promise<void> {
  const { jobs, settings } = dependencies;
  return async (job) => {
    const payload = webhookPayloadSchema.parse(job.data);
    const snapshot = await jobs.snapshot(payload.jobId);
    const target = snapshot?.definition.webhook;
    if (snapshot === undefined || target === null || target === undefined) return;
    const attempt = job.attemptsMade + 1;
    const data = await renderJob(snapshot, { store: dependencies.store, urlExpirySeconds: settings.urlExpirySeconds, now: dependencies.now });
    const body = JSON.stringify({ id: payload.eventId, type: payload.type, created_at: payload.createdAt, data });
    const sentAt = new Date(dependencies.now());
    const result = await guardedPost(new URL(target.url), {
      headers: signWebhook(target.secret, payload.eventId, body, sentAt),
      body,
      timeoutMs: settings.timeoutSeconds * 1000,
      allowPrivateNetworks: settings.allowPrivateNetworks,
    });
    const delivered = result.kind === 'response' && result.status >= 200 && result.status < 300;
    const windowClosed = dependencies.now() / 1000 - payload.createdAt >= settings.retryWindowSeconds;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const gone = result.kind === 'response' && result.status === 410;
    const stop = delivered || gone || result.kind === 'refused' || windowClosed || lastAttempt;
    const outcome: WebhookAttempt['outcome'] = delivered ? 'delivered' : result.kind === 'refused' ? 'refused' : stop ? 'failed' : 'retrying';
    const lastAttemptAt = Math.floor(sentAt.getTime() / 1000);
    const history = [
      ...(snapshot.webhook?.history ?? []),
      { attempt, at: lastAttemptAt, status: result.kind === 'response' ? result.status : null, error: describe(result), outcome },
    ].slice(-WEBHOOK_HISTORY);
    const state: WebhookState = {
      state: delivered ? 'delivered' : stop ? 'failed' : 'pending',
      attempts: attempt,
      lastStatus: result.kind === 'response' ? result.status : null,
      lastError: describe(result),
      lastAttemptAt,
      deliveredAt: delivered ? Math.floor(dependencies.now() / 1000) : null,
      history,
    };
    await jobs.setWebhookState(payload.jobId, state);
    dependencies.events.emit({ type: 'webhook_delivery', outcome, ...(result.kind === 'response' ? { status: result.status } : {}) });
    const log = dependencies.logger.child({ jobId: payload.jobId, eventId: payload.eventId, attempt });
    if (delivered) {
      log.info({ status: state.lastStatus }, 'webhook delivered');
      return;
    }
    if (stop) {
      log.warn({ status: state.lastStatus, error: state.lastError }, 'webhook delivery given up');
      if (gone || result.kind === 'refused') throw new UnrecoverableError(state.lastError ?? 'webhook refused');
      return;
    }
    log.info({ status: state.lastStatus, error: state.lastError }, 'webhook delivery failed; it will be retried');
    throw new RetryLaterError(state.lastError ?? 'webhook delivery failed', undefined);
  };
}

function describe(result: PostResult): string | null {
  if (result.kind === 'response') return result.status >= 200 && result.status < 300 ? null : `the receiver answered ${result.status}`;
  return result.reason;
}
