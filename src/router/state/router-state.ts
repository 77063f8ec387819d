/**
 * What the router remembers between calls: cooldowns, failures per minute, calls in flight,
 * recent first-byte latencies and per-minute usage. One implementation keeps it in process,
 * one in Redis so that every API and worker process agrees; every method takes the clock
 * reading from the caller, so one injected clock drives both.
 */
export interface RouterState {
  /** The cooldowns still running at `now`, by deployment id. */
  cooldowns(deploymentIds: readonly string[], now: number): Promise<ReadonlyMap<string, Cooldown>>;
  /** Cools a deployment down; a cooldown that already ends later is kept. */
  coolDown(deploymentId: string, cooldown: Cooldown, now: number): Promise<void>;
  /** Counts one failure in the current minute and returns the minute's count so far. */
  countFailure(deploymentId: string, now: number): Promise<number>;
  /** Marks one call in flight until `end` is called or `holdUntil` passes (a crashed process cannot leak it). */
  beginCall(deploymentId: string, callId: string, holdUntil: number): Promise<void>;
  endCall(deploymentId: string, callId: string): Promise<void>;
  /** Calls in flight at `now`, by deployment id (zero for deployments without any). */
  inFlight(deploymentIds: readonly string[], now: number): Promise<ReadonlyMap<string, number>>;
  /** Remembers one first-byte latency, kept for `ttlMs`. */
  recordLatency(deploymentId: string, latencyMs: number, now: number, ttlMs: number): Promise<void>;
  /** The mean of the latencies recorded within `ttlMs` of `now`; deployments without any are absent. */
  latencies(deploymentIds: readonly string[], now: number, ttlMs: number): Promise<ReadonlyMap<string, number>>;
  /** This minute's usage, by deployment id (zero for deployments without any). */
  usage(deploymentIds: readonly string[], now: number): Promise<ReadonlyMap<string, Usage>>;
  /**
   * Atomically counts one request of `characters` against this minute's budget, unless that
   * would pass `limits`; false when there is no room. Two processes cannot both take the last slot.
   */
  reserve(deploymentId: string, characters: number, limits: UsageLimits, now: number): Promise<boolean>;
}

export type CooldownReason = 'rate_limited' | 'auth' | 'quota_exceeded' | 'failures';

export interface Cooldown {
  /** Epoch milliseconds at which the deployment may serve again. */
  readonly untilMs: number;
  readonly reason: CooldownReason;
}

export interface Usage {
  readonly requests: number;
  /** Characters stand for LiteLLM's tokens: speech is billed per input character. */
  readonly characters: number;
}

export interface UsageLimits {
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
}

/** Usage and failures are counted per calendar minute, as LiteLLM's rpm/tpm are. */
export const MINUTE_MS = 60_000;

export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE_MS);
}

/** How many latencies are kept per deployment; older ones fall out. */
export const LATENCY_WINDOW = 20;

export function isRoomFor(usage: Usage, characters: number, limits: UsageLimits): boolean {
  if (limits.rpm !== undefined && usage.requests + 1 > limits.rpm) return false;
  if (limits.tpm !== undefined && usage.characters + characters > limits.tpm) return false;
  return true;
}
