import { isRoomFor, LATENCY_WINDOW, minuteOf, type Cooldown, type RouterState, type Usage } from './router-state.js';

interface LatencySample {
  readonly latencyMs: number;
  readonly at: number;
}

const NO_USAGE: Usage = { requests: 0, characters: 0 };

/** Router state in this process only: the default without Redis, and the stand-in while Redis is away. */
export function createLocalRouterState(): RouterState {
  const cooldowns = new Map<string, Cooldown>();
  const failures = new Map<string, { minute: number; count: number }>();
  const calls = new Map<string, Map<string, number>>();
  const latencies = new Map<string, LatencySample[]>();
  const usage = new Map<string, { minute: number; usage: Usage }>();

  const currentUsage = (deploymentId: string, now: number): Usage => {
    const entry = usage.get(deploymentId);
    return entry !== undefined && entry.minute === minuteOf(now) ? entry.usage : NO_USAGE;
  };

  return {
    async cooldowns(deploymentIds, now) {
      const active = new Map<string, Cooldown>();
      for (const deploymentId of deploymentIds) {
        const cooldown = cooldowns.get(deploymentId);
        if (cooldown !== undefined && cooldown.untilMs > now) active.set(deploymentId, cooldown);
      }
      return active;
    },
    async coolDown(deploymentId, cooldown) {
      const existing = cooldowns.get(deploymentId);
      if (existing === undefined || existing.untilMs < cooldown.untilMs) cooldowns.set(deploymentId, cooldown);
    },
    async countFailure(deploymentId, now) {
      const minute = minuteOf(now);
      const existing = failures.get(deploymentId);
      const count = existing !== undefined && existing.minute === minute ? existing.count + 1 : 1;
      failures.set(deploymentId, { minute, count });
      return count;
    },
    async beginCall(deploymentId, callId, holdUntil) {
      const open = calls.get(deploymentId) ?? new Map<string, number>();
      open.set(callId, holdUntil);
      calls.set(deploymentId, open);
    },
    async endCall(deploymentId, callId) {
      calls.get(deploymentId)?.delete(callId);
    },
    async inFlight(deploymentIds, now) {
      const counts = new Map<string, number>();
      for (const deploymentId of deploymentIds) {
        const open = calls.get(deploymentId);
        let count = 0;
        for (const [callId, holdUntil] of open ?? []) {
          if (holdUntil > now) count += 1;
          else open?.delete(callId);
        }
        counts.set(deploymentId, count);
      }
      return counts;
    },
    async recordLatency(deploymentId, latencyMs, now) {
      const samples = latencies.get(deploymentId) ?? [];
      samples.unshift({ latencyMs, at: now });
      samples.length = Math.min(samples.length, LATENCY_WINDOW);
      latencies.set(deploymentId, samples);
    },
    async latencies(deploymentIds, now, ttlMs) {
      const means = new Map<string, number>();
      for (const deploymentId of deploymentIds) {
        const recent = (latencies.get(deploymentId) ?? []).filter((sample) => now - sample.at < ttlMs);
        if (recent.length > 0) means.set(deploymentId, recent.reduce((sum, sample) => sum + sample.latencyMs, 0) / recent.length);
      }
      return means;
    },
    async usage(deploymentIds, now) {
      return new Map(deploymentIds.map((deploymentId) => [deploymentId, currentUsage(deploymentId, now)]));
    },
    async reserve(deploymentId, characters, limits, now) {
      const current = currentUsage(deploymentId, now);
      if (!isRoomFor(current, characters, limits)) return false;
      usage.set(deploymentId, { minute: minuteOf(now), usage: { requests: current.requests + 1, characters: current.characters + characters } });
      return true;
    },
  };
}
