import { ProviderError } from '../providers/spec/errors.js';
import type { AttemptRecord } from './attempts.js';

/** Every deployment that could serve the request was tried, and none did. */
export class AllDeploymentsFailedError extends Error {
  override readonly name = 'AllDeploymentsFailedError';
  constructor(
    readonly modelName: string,
    readonly attempts: readonly AttemptRecord[],
    readonly lastError: unknown,
  ) {
    super(`every deployment of "${modelName}" failed: ${lastError instanceof Error ? lastError.message : String(lastError)}`, { cause: lastError });
  }

  /** The provider error that decides the status the client sees, when there is one. */
  get providerError(): ProviderError | undefined {
    return this.lastError instanceof ProviderError ? this.lastError : undefined;
  }
}

/**
 * Why nothing could be tried: every deployment is cooling down after rate limits (or has no
 * rpm/tpm room left this minute), cooling down after other failures, or cannot take the input.
 */
export type UnavailableReason = 'rate_limited' | 'cooling_down' | 'input_too_long';

/** No deployment of the group (or its fallbacks) can take this request now. */
export class NoDeploymentAvailableError extends Error {
  override readonly name = 'NoDeploymentAvailableError';
  constructor(
    readonly modelName: string,
    message: string,
    /** When the first deployment is expected back, for `Retry-After`. */
    readonly retryAfterMs: number | undefined,
    readonly reason: UnavailableReason = 'cooling_down',
  ) {
    super(message);
  }
}
