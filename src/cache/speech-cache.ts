import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { EventSink } from '../domain/events.js';
import { primeStream } from '../core/prime-stream.js';
import type { CacheControl, CachedAudio, CacheJoin, CachePlan, SynthesisCache } from '../core/synthesis-cache.js';
import type { SpeechWarning } from '../providers/spec/warnings.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { CacheConfig } from './cache-config.js';
import type { CacheIndex } from './cache-index.js';
import { cacheKeyOf, cacheObjectKey } from './cache-key.js';
import { teeTo } from './tee.js';

export interface SpeechCache extends SynthesisCache {
  /** Removes every entry and its audio; returns how many. */
  clear(): Promise<number>;
  /** Removes the entries with these keys (as `x-litellm-cache-key` shows them); returns how many existed. */
  delete(keys: readonly string[]): Promise<number>;
  /** Removes entries whose TTL has passed, audio included; returns how many. */
  sweep(): Promise<number>;
  storedBytes(): Promise<number>;
  /** Checks the index and the store (a round trip to Redis, a small object written and removed); throws when either fails. */
  ping(): Promise<{ readonly storedBytes: number }>;
  /** What LiteLLM's `/cache/ping` shows of the settings. */
  readonly description: { readonly type: string; readonly namespace: string | null; readonly ttl: number | null; readonly mode: string };
  /** Sweeps every `sweep_interval_seconds` until `close()`. */
  startSweeping(): void;
  close(): void;
}

export interface SpeechCacheDependencies {
  readonly config: CacheConfig;
  readonly index: CacheIndex;
  readonly store: ObjectStore;
  readonly now: () => number;
  readonly logger: Logger;
  readonly events?: EventSink;
}

const SWEEP_BATCH = 500;
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

/**
 * Identical speech served from storage. The index (Redis) says which clips exist; the audio
 * is in the object store and streams from there. A miss streams from the provider as usual
 * while the same bytes go to storage on the side, and only a complete stream is indexed.
 * Identical misses in flight at once, in any process, make one provider call: the first takes
 * a lease in Redis, the others wait for its entry (or for the lease to lapse, if it died).
 */
export function createSpeechCache(dependencies: SpeechCacheDependencies): SpeechCache {
  const { config, index, store, now, logger } = dependencies;
  const settings = config.settings;
  const maxBytes = Math.round(settings.max_size_mb * 1024 * 1024);
  const leaseMs = settings.lock_seconds * 1000;
  const objectKey = (key: string): string => cacheObjectKey(config.objectPrefix, key);
  let sweeper: NodeJS.Timeout | undefined;

  const removeAudio = async (keys: readonly string[]): Promise<void> => {
    await Promise.all(
      keys.map((key) => store.delete(objectKey(key)).catch((error: unknown) => logger.warn({ err: error, key }, 'cached audio could not be deleted'))),
    );
  };

  const find = async (keys: readonly string[], maxAgeMs: number | undefined): Promise<CachedAudio | undefined> => {
    try {
      const found = await index.lookup(keys, now(), maxAgeMs);
      if (found === undefined) return undefined;
      const object = await store.get(objectKey(found.member));
      if (object === undefined) {
        // The index outlived its audio (deleted by hand, a bucket rule): forget it and call the provider.
        await index.forget([found.member]);
        return undefined;
      }
      let audio: AsyncIterable<Uint8Array>;
      try {
        audio = await primeStream(object.body);
      } catch (error) {
        logger.warn({ err: error, key: found.member }, 'cached audio could not be read; calling the provider');
        await index.forget([found.member]);
        return undefined;
      }
      return {
        key: found.member,
        deploymentId: found.entry.deploymentId,
        provider: found.entry.provider,
        contentType: found.entry.contentType,
        warnings: parseWarnings(found.entry.warnings),
        audio,
      };
    } catch (error) {
      logger.warn({ err: error }, 'speech cache lookup failed; calling the provider');
      return undefined;
    }
  };

  return {
    plan(control: CacheControl | undefined): CachePlan | undefined {
      if (config.mode === 'default_off' && control?.useCache !== true) return undefined;
      const read = control?.noCache !== true;
      const write = control?.noStore !== true;
      if (!read && !write) return undefined;
      const ttlSeconds = control?.ttlSeconds ?? config.ttlSeconds;
      return {
        read,
        write,
        maxAgeMs: control?.maxAgeSeconds === undefined ? undefined : control.maxAgeSeconds * 1000,
        ttlMs: ttlSeconds === undefined ? undefined : Math.round(ttlSeconds * 1000),
        namespace: control?.namespace ?? config.namespace,
      };
    },
    keyOf: (deployment, fields, namespace) => cacheKeyOf(deployment, fields, namespace),
    find,
    async join(keys, maxAgeMs, signal): Promise<CacheJoin> {
      const flight = [...keys].sort().join(',');
      const token = randomUUID();
      const deadline = now() + settings.lock_wait_seconds * 1000;
      let pause = FIRST_POLL_MS;
      try {
        for (;;) {
          if (await index.lead(flight, token, leaseMs)) {
            // The one before may have committed just as its lease ended.
            const cached = await find(keys, maxAgeMs);
            if (cached !== undefined) {
              await index.release(flight, token);
              return { kind: 'hit', cached };
            }
            return { kind: 'lead', release: leaseHolder(index, flight, token, { leaseMs, maxHoldMs: settings.lock_wait_seconds * 1000 }, logger) };
          }
          await delay(pause, undefined, { signal });
          pause = Math.min(pause * 2, MAX_POLL_MS);
          const cached = await find(keys, maxAgeMs);
          if (cached !== undefined) return { kind: 'hit', cached };
          if (now() >= deadline) {
            logger.warn({ keys }, 'an identical speech request held its lease too long; calling the provider');
            return { kind: 'alone' };
          }
        }
      } catch (error) {
        if (signal.aborted) throw error;
        logger.warn({ err: error }, 'speech cache lease failed; calling the provider');
        return { kind: 'alone' };
      }
    },
    store(audio, write) {
      const startedAt = now();
      let bytes = 0;
      return teeTo(
        audio,
        async (chunks) => {
          const stored = await store.put(objectKey(write.key), chunks, { contentType: write.contentType });
          bytes = stored.bytes;
        },
        async (complete) => {
          if (!complete || bytes === 0) return;
          try {
            const evicted = await index.commit(
              write.key,
              {
                contentType: write.contentType,
                bytes,
                deploymentId: write.deployment.id,
                provider: write.deployment.provider,
                createdAt: startedAt,
                warnings: JSON.stringify(write.warnings),
              },
              now(),
              write.ttlMs,
              maxBytes,
            );
            if (evicted.length > 0) {
              dependencies.events?.emit({ type: 'cache_eviction', reason: 'size', entries: evicted.length });
              await removeAudio(evicted);
            }
          } catch (error) {
            logger.warn({ err: error, key: write.key }, 'speech cache entry could not be committed');
          }
        },
      );
    },
    observe(outcome, model, context) {
      dependencies.events?.emit({ type: 'cache_lookup', outcome, modelName: model, source: context.source });
    },
    async clear() {
      let removed = 0;
      for (;;) {
        const members = await index.members(SWEEP_BATCH);
        if (members.length === 0) return removed;
        const forgotten = await index.forget(members);
        await removeAudio(members);
        removed += forgotten.length;
      }
    },
    async delete(keys) {
      const forgotten = await index.forget(keys);
      await removeAudio(keys);
      return forgotten.length;
    },
    async sweep() {
      let removed = 0;
      for (;;) {
        const expired = await index.sweep(now(), SWEEP_BATCH);
        await removeAudio(expired);
        removed += expired.length;
        if (expired.length < SWEEP_BATCH) break;
      }
      if (removed > 0) dependencies.events?.emit({ type: 'cache_eviction', reason: 'ttl', entries: removed });
      return removed;
    },
    storedBytes: () => index.storedBytes(),
    async ping() {
      const storedBytes = await index.storedBytes();
      const probe = `${config.objectPrefix}/ping-probe.audio`;
      async function* body(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array([0]);
      }
      await store.put(probe, body(), { contentType: 'application/octet-stream' });
      await store.delete(probe);
      return { storedBytes };
    },
    description: { type: config.type, namespace: config.namespace ?? null, ttl: config.ttlSeconds ?? null, mode: config.mode },
    startSweeping() {
      sweeper ??= setInterval(() => {
        void this.sweep().catch((error: unknown) => logger.warn({ err: error }, 'speech cache sweep failed'));
      }, settings.sweep_interval_seconds * 1000);
      sweeper.unref();
    },
    close() {
      if (sweeper !== undefined) clearInterval(sweeper);
      sweeper = undefined;
    },
  };
}

/**
 * Renews the lease while the leader streams, so only a dead leader's lease lapses. Renewal
 * stops after `maxHoldMs` whatever happens (followers stop waiting then anyway), so a
 * synthesis that is never consumed cannot hold its flight for ever.
 */
function leaseHolder(
  index: CacheIndex,
  flight: string,
  token: string,
  timing: { readonly leaseMs: number; readonly maxHoldMs: number },
  logger: Logger,
): () => Promise<void> {
  const { leaseMs, maxHoldMs } = timing;
  const heldSince = Date.now();
  const renewal = setInterval(
    () => {
      if (Date.now() - heldSince > maxHoldMs) {
        clearInterval(renewal);
        return;
      }
      void index.renew(flight, token, leaseMs).catch((error: unknown) => logger.warn({ err: error }, 'speech cache lease could not be renewed'));
    },
    Math.max(50, leaseMs / 3),
  );
  renewal.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(renewal);
    await index.release(flight, token).catch((error: unknown) => logger.warn({ err: error }, 'speech cache lease could not be released'));
  };
}

const warningsSchema = z.array(
  z.union([
    z.object({ type: z.literal('unsupported-setting'), setting: z.string(), details: z.string() }),
    z.object({ type: z.literal('clamped-setting'), setting: z.string(), requested: z.number(), applied: z.number() }),
    z.object({ type: z.literal('other'), message: z.string() }),
  ]),
);

/** The warnings the provider gave when the clip was made, told again on every hit. */
function parseWarnings(text: string): SpeechWarning[] {
  try {
    const parsed = warningsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
