import type { RouterSettings } from '../config/schema.js';
import type { Deployment } from '../domain/catalog.js';
import { isProviderError } from '../providers/spec/errors.js';
import type { CooldownReason } from './state/router-state.js';

/**
 * What one failed attempt means for the rest of the call and for the deployment:
 * - `stop`: the client's input is at fault (bad request, content policy); no deployment will do better.
 * - `next`: this deployment cannot serve the request (auth, quota, unsupported, wrong deployment);
 *   try another, never this one again in this call.
 * - `retry`: transient (429, 5xx, timeout, a broken stream); another deployment now, or this one after a wait.
 */
type FailureAction = 'stop' | 'next' | 'retry';

export interface FailureVerdict {
  readonly action: FailureAction;
  /** The outcome word for attempt logs and events. */
  readonly outcome: string;
  /** Cool down at once, whatever `allowed_fails` says, and for how long. */
  readonly immediateCooldown?: { readonly ms: number; readonly reason: CooldownReason };
  /** Counts towards `allowed_fails` in this minute. */
  readonly countsAsFailure: boolean;
  /** The provider's own hint of when to try again. */
  readonly retryAfterMs: number | undefined;
}

export function cooldownMsOf(deployment: Deployment, settings: RouterSettings): number {
  return (deployment.params.cooldown_time ?? settings.cooldown_time) * 1000;
}

export function judgeFailure(error: unknown, deployment: Deployment, settings: RouterSettings): FailureVerdict {
  const verdict = judgeByKind(error, deployment, settings);
  if (!isProviderError(error) || error.shouldRetry === undefined) return verdict;
  // The upstream's own word (OpenAI's x-should-retry) decides over the kind, as in openai-node:
  // true retries what would have stopped; false stops retrying, though another deployment may still serve.
  if (error.shouldRetry && verdict.action !== 'retry') return { ...verdict, action: 'retry', countsAsFailure: true };
  if (!error.shouldRetry && verdict.action === 'retry') return { ...verdict, action: 'next' };
  return verdict;
}

/**
 * A `retry_policy` count for the failure's class means LiteLLM retries it, whatever its status
 * or the upstream's `x-should-retry` say (a 400 included). A deployment that cannot serve the
 * call at all (auth, quota, unsupported, a 404) is still not tried again within it.
 */
export function retriedByPolicy(verdict: FailureVerdict, error: unknown, deployment: Deployment, settings: RouterSettings): FailureVerdict {
  if (judgeByKind(error, deployment, settings).action === 'next') return verdict;
  return { ...verdict, action: 'retry' };
}

function judgeByKind(error: unknown, deployment: Deployment, settings: RouterSettings): FailureVerdict {
  const cooldownMs = cooldownMsOf(deployment, settings);
  if (!isProviderError(error)) {
    // Empty audio, a broken transcoder, a network error outside the adapter: the deployment's fault, passing.
    return { action: 'retry', outcome: 'error', countsAsFailure: true, retryAfterMs: undefined };
  }
  const retryAfterMs = error.retryAfterMs;
  switch (error.kind) {
    case 'invalid_request':
      // A 404 means the deployment's model or path is wrong (the operator's config), not the client's text.
      if (error.status === 404)
        return { action: 'next', outcome: 'not_found', immediateCooldown: { ms: cooldownMs, reason: 'auth' }, countsAsFailure: true, retryAfterMs };
      return { action: 'stop', outcome: error.kind, countsAsFailure: false, retryAfterMs };
    case 'content_rejected':
      return { action: 'stop', outcome: error.kind, countsAsFailure: false, retryAfterMs };
    case 'unsupported':
      return { action: 'next', outcome: error.kind, countsAsFailure: false, retryAfterMs };
    case 'auth':
      return { action: 'next', outcome: error.kind, immediateCooldown: { ms: cooldownMs, reason: 'auth' }, countsAsFailure: true, retryAfterMs };
    case 'quota_exceeded':
      return { action: 'next', outcome: error.kind, immediateCooldown: { ms: cooldownMs, reason: 'quota_exceeded' }, countsAsFailure: true, retryAfterMs };
    case 'rate_limited':
      // The provider's hint says exactly when the deployment takes calls again; trust it over the setting.
      return {
        action: 'retry',
        outcome: error.kind,
        immediateCooldown: { ms: retryAfterMs ?? cooldownMs, reason: 'rate_limited' },
        countsAsFailure: true,
        retryAfterMs,
      };
    case 'unavailable':
    case 'timeout':
      return { action: error.retryable ? 'retry' : 'next', outcome: error.kind, countsAsFailure: true, retryAfterMs };
  }
}
