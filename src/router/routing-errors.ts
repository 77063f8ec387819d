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

/** No deployment of the group can take this request (all cooling down, or the input is too long for each). */
export class NoDeploymentAvailableError extends Error {
  override readonly name = 'NoDeploymentAvailableError';
  constructor(
    readonly modelName: string,
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}
