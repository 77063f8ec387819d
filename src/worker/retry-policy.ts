import { describeFailure } from '../core/describe-failure.js';

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
  const described = describeFailure(error);
  // A record is read by the job's owner, so an internal failure says what it was.
  const message = described.status === 500 ? `internal error: ${error instanceof Error ? error.message : String(error)}` : described.message;
  return { code: described.code ?? 'error', message, retryable: described.retryable, retryAfterMs: described.retryAfterMs };
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
