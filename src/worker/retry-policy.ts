import { toEnvelope } from '../api/middleware/error-handler.js';
import { ApiError } from '../core/errors.js';
import { isProviderError } from '../providers/spec/errors.js';
import { AllDeploymentsFailedError, NoDeploymentAvailableError } from '../router/routing-errors.js';

/** Thrown by a processor to ask BullMQ for another attempt, no sooner than `retryAfterMs`. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FailureReading {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** What the item record shows: the code and message the sync endpoint would have sent. */
  readonly code: string;
  readonly message: string;
}

/** One reading of any failure, the same taxonomy the HTTP layer uses. */
export function readFailure(error: unknown): FailureReading {
  const envelope = toEnvelope(error);
  const described = { code: envelope.code ?? 'error', message: envelope.status === 500 ? `internal error: ${error instanceof Error ? error.message : String(error)}` : envelope.message };
  if (error instanceof ApiError) return { ...described, retryable: error.status === 429 || error.status >= 500, retryAfterMs: secondsToMs(error.retryAfterSeconds) };
  if (error instanceof AllDeploymentsFailedError) {
    const providerError = error.providerError;
    return { ...described, retryable: providerError?.retryable ?? true, retryAfterMs: providerError?.retryAfterMs };
  }
  if (error instanceof NoDeploymentAvailableError) return { ...described, retryable: true, retryAfterMs: error.retryAfterMs };
  if (isProviderError(error)) return { ...described, retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  // Storage hiccups, a killed ffmpeg: worth another try.
  return { ...described, retryable: true, retryAfterMs: undefined };
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

/**
 * Exponential backoff with jitter (between half and all of the step), never shorter than
 * the provider's own retry hint, never longer than `maxMs`.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, maxMs: number, error: unknown, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(step / 2 + random() * (step / 2));
  const hint = error instanceof RetryLaterError ? error.retryAfterMs : undefined;
  return hint === undefined ? jittered : Math.min(maxMs, Math.max(jittered, hint));
}
