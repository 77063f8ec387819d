/** One try of one deployment, as reported in headers, logs and job items. */
export interface AttemptRecord {
  readonly deploymentId: string;
  readonly provider: string;
  /** The model group the deployment serves: the requested one, or a fallback. */
  readonly modelName: string;
  /** `success`, or the kind of error that ended the attempt. */
  readonly outcome: string;
  readonly durationMs: number;
  /** The upstream's own id for the call (its request-id header or answer), when it gave one. */
  readonly upstreamRequestId?: string;
}

/** The id an attempt's value carries (`upstreamRequestId`, as a provider's result has it), if any. */
export function upstreamRequestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('upstreamRequestId' in value)) return undefined;
  return typeof value.upstreamRequestId === 'string' ? value.upstreamRequestId : undefined;
}

/** A compact header value: `model/deployment:outcome:ms` per attempt, in the order they ran. */
export function describeAttempts(attempts: readonly AttemptRecord[]): string {
  return attempts.map((attempt) => `${attempt.modelName}/${attempt.deploymentId}:${attempt.outcome}:${Math.round(attempt.durationMs)}`).join(', ');
}
