/** One try of one deployment, as reported in headers, logs and job items. */
export interface AttemptRecord {
  readonly deploymentId: string;
  readonly provider: string;
  /** The model group the deployment serves: the requested one, or a fallback. */
  readonly modelName: string;
  /** `success`, or the kind of error that ended the attempt. */
  readonly outcome: string;
  readonly durationMs: number;
}

/** A compact header value: `model/deployment:outcome:ms` per attempt, in the order they ran. */
export function describeAttempts(attempts: readonly AttemptRecord[]): string {
  return attempts.map((attempt) => `${attempt.modelName}/${attempt.deploymentId}:${attempt.outcome}:${Math.round(attempt.durationMs)}`).join(', ');
}
