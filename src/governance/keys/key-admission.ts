import { assertModelAllowed, type Admission } from '../../domain/principal.js';
import { ApiError, serviceUnavailable, unauthorized } from '../../domain/errors.js';
import { parseDuration } from '../../config/duration.js';
import type { SpendStore } from '../spend/spend-store.js';
import type { KeyStore } from './key-store.js';
import type { RateLimiter } from './rate-limiter.js';

export interface KeyAdmissionDependencies {
  readonly keys: KeyStore;
  readonly spend: SpendStore;
  readonly limiter: RateLimiter;
  readonly now: () => number;
}

/**
 * A virtual key's models (403), budget and rpm limit (429). The budget is checked first so a
 * refused request does not use up a slot of the minute. Spend is counted when a synthesis
 * ends, so the request that crosses the budget completes and the next one is refused.
 */
export function createKeyAdmission(dependencies: KeyAdmissionDependencies): Admission {
  return {
    async admit(principal, model) {
      assertModelAllowed(principal, model);
      if (principal.kind !== 'virtual_key') return;
      const record = await unlessUnreachable(dependencies.keys.get(principal.keyId));
      if (record === undefined) throw unauthorized('This key was deleted.');
      const now = dependencies.now();
      if (record.max_budget !== null) {
        const durationMs = record.budget_duration === null ? undefined : parseDuration(record.budget_duration);
        const window = await unlessUnreachable(dependencies.spend.budgetWindow({ kind: 'key', id: record.token }, durationMs, now));
        if (window.spend >= record.max_budget) {
          throw budgetExceeded(
            `Budget has been exceeded for this key: spent $${formatUsd(window.spend)} of $${formatUsd(record.max_budget)}${window.resetAt === undefined ? '' : `; it resets at ${new Date(window.resetAt).toISOString()}`}.`,
            window.resetAt === undefined ? undefined : Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
          );
        }
      }
      if (record.rpm_limit !== null) {
        const decision = await unlessUnreachable(dependencies.limiter.take(record.token, record.rpm_limit));
        if (!decision.allowed) {
          throw new ApiError({
            status: 429,
            type: 'rate_limit_error',
            code: 'rate_limit_exceeded',
            message: `Rate limit reached for this key: ${record.rpm_limit} requests per minute (rpm_limit). Retry in ${decision.retryAfterSeconds} s.`,
            retryAfterSeconds: decision.retryAfterSeconds,
          });
        }
      }
    },
  };
}

export function budgetExceeded(message: string, retryAfterSeconds: number | undefined): ApiError {
  return new ApiError({
    status: 429,
    type: 'rate_limit_error',
    code: 'budget_exceeded',
    message,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

export function formatUsd(value: number): string {
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** Limits kept in Redis cannot be checked while it is away: the request is refused as unavailable (fail closed). */
function unlessUnreachable<T>(lookup: Promise<T>): Promise<T> {
  return lookup.catch((error: unknown) => {
    throw serviceUnavailable('Key limits cannot be checked right now: the key store is unreachable. Retry shortly.', error);
  });
}
