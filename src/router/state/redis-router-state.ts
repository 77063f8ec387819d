import type { ChainableCommander } from 'ioredis';
import { z } from 'zod';
import type { RedisClient } from '../../redis/redis-client.js';
import { defineScript } from '../../redis/redis-script.js';
import { slotBatch } from '../../redis/slot-batch.js';
import { LATENCY_WINDOW, minuteOf, MINUTE_MS, type Cooldown, type CooldownReason, type RouterState, type Usage } from './router-state.js';

/**
 * Router state in Redis, shared by every process that uses the same key prefix. A deployment's
 * keys share one hash tag (`{id}`), so each script touches one Cluster slot. Expiries are
 * Redis's own safety net; decisions compare the caller's clock with the stored times, so an
 * injected clock drives them the same way as in the local state.
 */
export function createRedisRouterState(redis: RedisClient, keyPrefix: string): RouterState {
  const key = (deploymentId: string, part: string): string => `${keyPrefix}:{${deploymentId}}:${part}`;
  // Every key of a deployment is in its slot, so any of them places a command on a Cluster.
  const placeOf = (deploymentId: string): string => key(deploymentId, 'cooldown');

  return {
    async cooldowns(deploymentIds, now) {
      const values = await inOneTrip(
        redis,
        deploymentIds,
        (pipeline, deploymentId) => pipeline.get(key(deploymentId, 'cooldown')),
        (value) => (typeof value === 'string' ? value : null),
        placeOf,
      );
      const active = new Map<string, Cooldown>();
      values.forEach((value, index) => {
        const cooldown = value === null ? undefined : parseCooldown(value);
        const deploymentId = deploymentIds[index];
        if (cooldown !== undefined && deploymentId !== undefined && cooldown.untilMs > now) active.set(deploymentId, cooldown);
      });
      return active;
    },
    async coolDown(deploymentId, cooldown, now) {
      const expireMs = Math.max(1, Math.ceil(cooldown.untilMs - now)) + EXPIRY_MARGIN_MS;
      await coolDownScript.run(redis, [key(deploymentId, 'cooldown')], [String(Math.ceil(cooldown.untilMs)), cooldown.reason, String(expireMs)]);
    },
    async countFailure(deploymentId, now) {
      const failureKey = key(deploymentId, `fails:${minuteOf(now)}`);
      const results = await redis
        .multi()
        .incr(failureKey)
        .pexpire(failureKey, 2 * MINUTE_MS)
        .exec();
      const count = results?.[0]?.[1];
      return typeof count === 'number' ? count : 1;
    },
    async beginCall(deploymentId, callId, holdUntil) {
      const callsKey = key(deploymentId, 'calls');
      await redis
        .multi()
        .zadd(callsKey, holdUntil, callId)
        .pexpireat(callsKey, Math.ceil(holdUntil) + EXPIRY_MARGIN_MS)
        .exec();
    },
    async endCall(deploymentId, callId) {
      await redis.zrem(key(deploymentId, 'calls'), callId);
    },
    async inFlight(deploymentIds, now) {
      const counts = await inOneTrip(
        redis,
        deploymentIds,
        (pipeline, deploymentId) => pipeline.zcount(key(deploymentId, 'calls'), `(${now}`, '+inf'),
        (value) => (typeof value === 'number' ? value : 0),
        placeOf,
      );
      return new Map(deploymentIds.map((deploymentId, index) => [deploymentId, counts[index] ?? 0]));
    },
    async recordLatency(deploymentId, latencyMs, now, ttlMs) {
      const latencyKey = key(deploymentId, 'latency');
      await redis
        .multi()
        .lpush(latencyKey, `${Math.round(latencyMs)}:${now}`)
        .ltrim(latencyKey, 0, LATENCY_WINDOW - 1)
        .pexpire(latencyKey, Math.ceil(ttlMs))
        .exec();
    },
    async latencies(deploymentIds, now, ttlMs) {
      const lists = await inOneTrip(
        redis,
        deploymentIds,
        (pipeline, deploymentId) => pipeline.lrange(key(deploymentId, 'latency'), 0, LATENCY_WINDOW - 1),
        (value) => (Array.isArray(value) ? value.map(String) : []),
        placeOf,
      );
      const means = new Map<string, number>();
      lists.forEach((entries, index) => {
        const recent = entries.map(parseLatency).filter((sample) => sample !== undefined && now - sample.at < ttlMs) as Array<{
          latencyMs: number;
          at: number;
        }>;
        const deploymentId = deploymentIds[index];
        if (recent.length > 0 && deploymentId !== undefined) means.set(deploymentId, recent.reduce((sum, sample) => sum + sample.latencyMs, 0) / recent.length);
      });
      return means;
    },
    async usage(deploymentIds, now) {
      const minute = minuteOf(now);
      const hashes = await inOneTrip(
        redis,
        deploymentIds,
        (pipeline, deploymentId) => pipeline.hmget(key(deploymentId, `usage:${minute}`), 'requests', 'characters'),
        (value) => (Array.isArray(value) ? value.map((field) => (typeof field === 'string' ? field : null)) : []),
        placeOf,
      );
      return new Map<string, Usage>(
        deploymentIds.map((deploymentId, index) => {
          const [requests, characters] = hashes[index] ?? [];
          return [deploymentId, { requests: Number(requests ?? 0), characters: Number(characters ?? 0) }];
        }),
      );
    },
    async reserve(deploymentId, characters, limits, now) {
      const result = await reserveScript.run(
        redis,
        [key(deploymentId, `usage:${minuteOf(now)}`)],
        [String(limits.rpm ?? 0), String(limits.tpm ?? 0), String(characters), String(2 * MINUTE_MS)],
      );
      return result === 1;
    },
  };
}

/** Keys outlive their meaning a little, so a clock slightly behind Redis's never reads a vanished key. */
const EXPIRY_MARGIN_MS = 1000;

/** 1 when written, 0 when a later cooldown was kept. */
const coolDownScript = defineScript(new URL('./scripts/cool-down.lua', import.meta.url), z.number().int());
/** 1 when the request was counted, 0 when the minute had no room. */
const reserveScript = defineScript(new URL('./scripts/reserve.lua', import.meta.url), z.number().int());

const COOLDOWN_REASONS: ReadonlySet<string> = new Set<CooldownReason>(['rate_limited', 'auth', 'quota_exceeded', 'failures']);

function parseCooldown(value: string): Cooldown | undefined {
  const [until, reason] = value.split('|');
  const untilMs = Number(until);
  if (!Number.isFinite(untilMs) || reason === undefined || !COOLDOWN_REASONS.has(reason)) return undefined;
  return { untilMs, reason: reason as CooldownReason };
}

function parseLatency(entry: string): { latencyMs: number; at: number } | undefined {
  const [latency, at] = entry.split(':').map(Number);
  return latency === undefined || at === undefined || !Number.isFinite(latency) || !Number.isFinite(at) ? undefined : { latencyMs: latency, at };
}

/**
 * One read per deployment, sent together in one pipeline (one write, one round trip) rather
 * than as separate commands; on a Cluster one pipeline per deployment's slot, sent at once.
 */
async function inOneTrip<T>(
  redis: RedisClient,
  deploymentIds: readonly string[],
  command: (pipeline: ChainableCommander, deploymentId: string) => ChainableCommander,
  parse: (value: unknown) => T,
  key: (deploymentId: string) => string,
): Promise<T[]> {
  if (deploymentIds.length === 0) return [];
  const batch = slotBatch(redis, 'pipeline');
  for (const deploymentId of deploymentIds) batch.add(key(deploymentId), (pipeline) => command(pipeline, deploymentId));
  return (await batch.exec()).map(parse);
}
