import type { ResponseFormat } from '../audio/formats.js';
import type { SpeechWarning } from '../providers/spec/warnings.js';
import type { Deployment } from '../domain/catalog.js';
import type { SynthesisContext } from './synthesis-context.js';

/** A request's own cache controls: LiteLLM's `cache` body field, or the `Cache-Control` header. */
export interface CacheControl {
  /** Do not read a stored answer (LiteLLM `no-cache`); the fresh one is still stored. */
  readonly noCache?: boolean;
  /** Do not store this answer (LiteLLM `no-store`). */
  readonly noStore?: boolean;
  /** Seconds the stored answer lives (LiteLLM `ttl`). */
  readonly ttlSeconds?: number;
  /** Accept only stored answers younger than this (LiteLLM `s-maxage`, HTTP `max-age`). */
  readonly maxAgeSeconds?: number;
  /** Key namespace for this request (LiteLLM `namespace`). */
  readonly namespace?: string;
  /** Opt in when the cache is `default_off` (LiteLLM `use-cache`). */
  readonly useCache?: boolean;
}

/** What the cache will do for one request. */
export interface CachePlan {
  readonly read: boolean;
  readonly write: boolean;
  readonly maxAgeMs: number | undefined;
  readonly ttlMs: number | undefined;
  readonly namespace: string | undefined;
}

export interface CacheKeyFields {
  readonly input: string;
  readonly voice: string;
  readonly format: ResponseFormat;
  readonly speed: number;
  readonly instructions: string | undefined;
}

/** A stored clip, ready to stream; its first chunk already exists. */
export interface CachedAudio {
  readonly key: string;
  readonly deploymentId: string;
  readonly provider: string;
  readonly contentType: string;
  readonly warnings: readonly SpeechWarning[];
  readonly audio: AsyncIterable<Uint8Array>;
}

/** The outcome of joining identical requests in flight. */
export type CacheJoin =
  | { readonly kind: 'hit'; readonly cached: CachedAudio }
  /** This request calls the provider; the others wait for its audio. `release` is safe to call twice. */
  | { readonly kind: 'lead'; readonly release: () => Promise<void> }
  /** Waited too long for another: this request calls the provider on its own. */
  | { readonly kind: 'alone' };

interface CacheWrite {
  readonly key: string;
  readonly deployment: Deployment;
  readonly contentType: string;
  readonly warnings: readonly SpeechWarning[];
  readonly ttlMs: number | undefined;
}

/**
 * The speech cache as `synthesize` sees it (implemented in `src/cache/`). Everything here is
 * best effort: a failing cache turns into a miss, never into a failed synthesis.
 */
export interface SynthesisCache {
  plan(control: CacheControl | undefined): CachePlan | undefined;
  keyOf(deployment: Deployment, fields: CacheKeyFields, namespace: string | undefined): string;
  find(keys: readonly string[], maxAgeMs: number | undefined): Promise<CachedAudio | undefined>;
  join(keys: readonly string[], maxAgeMs: number | undefined, signal: AbortSignal): Promise<CacheJoin>;
  /** Passes `audio` through while writing it to the cache; commits once it ended complete. */
  store(audio: AsyncIterable<Uint8Array>, write: CacheWrite): AsyncIterable<Uint8Array>;
  /** Counts a lookup's outcome for metrics. */
  observe(outcome: 'hit' | 'miss' | 'bypass', model: string, context: SynthesisContext): void;
}
