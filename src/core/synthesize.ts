import { contentTypeOf, type ResponseFormat } from '../audio/formats.js';
import type { Transcoder } from '../audio/transcode.js';
import type { SpeechWarning } from '../providers/spec/warnings.js';
import type { AttemptRecord } from '../router/attempts.js';
import type { Router } from '../router/router.js';
import type { Deployment, ModelCatalog } from '../domain/catalog.js';
import { costOf } from '../domain/cost.js';
import { invalidRequest, notFound } from '../domain/errors.js';
import { primeStream } from './prime-stream.js';
import type { CacheControl, CachedAudio, CacheKeyFields, SynthesisCache } from './synthesis-cache.js';
import type { InputGuard, SynthesisContext, SynthesisRecord, SynthesisRecorder } from './synthesis-context.js';
import { AllDeploymentsFailedError } from '../router/routing-errors.js';

export interface SynthesisCommand {
  /** A model group (`model_name`). */
  readonly model: string;
  readonly input: string;
  /** Absent: each deployment's own (`voiceFor`). */
  readonly voice?: string;
  readonly format: ResponseFormat;
  readonly speed: number;
  readonly instructions?: string;
  /** Model groups to fall back to, in order, instead of the configured ones (the request body's `fallbacks`). */
  readonly fallbacks?: readonly string[];
  readonly signal: AbortSignal;
  readonly context: SynthesisContext;
  /** The request's own cache controls (LiteLLM's `cache` field, `Cache-Control`). */
  readonly cache?: CacheControl;
}

/** How the cache took part: `hit` served from storage, `miss` looked up and not found, `bypass` not read (`no-cache`). */
interface SynthesisCacheOutcome {
  readonly status: 'hit' | 'miss' | 'bypass';
  /** The entry's key: the one served on a hit. */
  readonly key: string | undefined;
}

export interface Synthesis {
  /** The audio in the requested format; its first chunk already exists. Consume once. */
  readonly audio: AsyncIterable<Uint8Array>;
  readonly format: ResponseFormat;
  readonly contentType: string;
  readonly deployment: Deployment;
  readonly attempts: readonly AttemptRecord[];
  readonly warnings: readonly SpeechWarning[];
  readonly characters: number;
  readonly costUsd: number;
  /** Absent when the cache is off or does not apply to this request. */
  readonly cache?: SynthesisCacheOutcome;
}

export type Synthesize = (command: SynthesisCommand) => Promise<Synthesis>;

export interface SynthesizeDependencies {
  readonly catalog: ModelCatalog;
  readonly router: Router;
  readonly transcoder: Transcoder;
  readonly now: () => number;
  /** Guardrails on the input; none when absent. */
  readonly guard?: InputGuard;
  /** Spend logs and metrics; called once per synthesis when its audio ends or fails. */
  readonly recorder?: SynthesisRecorder;
  /** Maps anything thrown to the error code the client sees, for records. */
  readonly errorCode?: (error: unknown) => string;
  /** The speech cache; none when absent. */
  readonly cache?: SynthesisCache;
}

/**
 * The one synthesis use-case, shared by the sync endpoint and the job worker: route to a
 * deployment, call it, convert to the requested format, and hold back until the first
 * audio byte exists so that everything before it can still be retried or reported.
 */
export function createSynthesize(dependencies: SynthesizeDependencies): Synthesize {
  const { catalog, router, transcoder, now } = dependencies;
  return async (command) => {
    const startedAt = now();
    const settle = (fields: Omit<SynthesisRecord, 'context' | 'model' | 'startedAt' | 'latencyMs'>): void => {
      dependencies.recorder?.record({ context: command.context, model: command.model, startedAt, latencyMs: now() - startedAt, ...fields });
    };
    let characters = command.input.length;
    const route = (input: string, characters: number) =>
      router.route(
        {
          modelName: command.model,
          inputCharacters: characters,
          signal: command.signal,
          ...(command.voice === undefined ? {} : { voice: command.voice }),
          ...(command.fallbacks === undefined ? {} : { fallbacks: command.fallbacks }),
        },
        async (deployment, signal) => {
          const result = await deployment.adapter.synthesize({
            input,
            voice: voiceFor(deployment, command.voice),
            format: command.format,
            speed: command.speed,
            signal,
            ...(command.instructions === undefined ? {} : { instructions: command.instructions }),
          });
          const audio = await primeStream(transcoder.convert(result.audio, result.encoding, command.format, signal));
          return { audio, warnings: result.warnings, upstreamRequestId: result.upstreamRequestId };
        },
      );
    /** A hit costs nothing and calls no provider; its record says so. */
    const servedFromCache = (cached: CachedAudio, matched: Deployment | undefined, characters: number, startedAt: number): Synthesis => {
      // The deployment that made the clip; if the config no longer has it, the one whose key matched (same provider model and options).
      const deployment = catalog.deployment(cached.deploymentId) ?? matched;
      if (deployment === undefined) throw new Error('a model group without deployments');
      const base = {
        deploymentId: cached.deploymentId,
        provider: cached.provider,
        characters,
        costUsd: 0,
        attempts: 0,
        firstByteMs: now() - startedAt,
        cacheHit: true,
        cacheKey: cached.key,
      };
      return {
        audio: observeEnd(cached.audio, (audioBytes, error) => {
          if (error === undefined) settle({ ...base, status: 'success', audioBytes });
          else if (command.signal.aborted) settle({ ...base, status: 'cancelled', audioBytes });
          else settle({ ...base, status: 'error', errorCode: dependencies.errorCode?.(error) ?? 'stream_failed', audioBytes });
        }),
        format: command.format,
        contentType: cached.contentType,
        deployment,
        attempts: [],
        warnings: cached.warnings,
        characters,
        costUsd: 0,
        cache: { status: 'hit', key: cached.key },
      };
    };
    try {
      const group = catalog.group(command.model);
      if (group === undefined) {
        throw notFound(`The model '${command.model}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
      }
      const input =
        dependencies.guard === undefined ? command.input : await dependencies.guard.check(command.input, { ...command.context, model: command.model });
      characters = input.length;
      const limit = Math.max(...group.map((deployment) => deployment.maxInputCharacters));
      if (characters > limit) {
        throw invalidRequest(`input is ${characters} characters long; the model '${command.model}' accepts at most ${limit}`, 'input', 'input_too_long');
      }
      const cache = dependencies.cache;
      const plan = cache?.plan(command.cache);
      // The voice is part of the key as the deployment will speak it: a request without one uses each deployment's.
      const keyFields = (deployment: Deployment): CacheKeyFields => ({
        input,
        voice: voiceFor(deployment, command.voice),
        format: command.format,
        speed: command.speed,
        instructions: command.instructions,
      });
      let release: (() => Promise<void>) | undefined;
      let cacheOutcome: SynthesisCacheOutcome | undefined;
      if (cache !== undefined && plan !== undefined) {
        const keyed = new Map(group.map((deployment) => [cache.keyOf(deployment, keyFields(deployment), plan.namespace), deployment] as const));
        const keys = [...keyed.keys()];
        if (plan.read) {
          const joined = plan.write
            ? await cache.join(keys, plan.maxAgeMs, command.signal)
            : await cache.find(keys, plan.maxAgeMs).then((cached) => (cached === undefined ? { kind: 'alone' as const } : { kind: 'hit' as const, cached }));
          if (joined.kind === 'hit') {
            cache.observe('hit', command.model, command.context);
            return servedFromCache(joined.cached, keyed.get(joined.cached.key) ?? group[0], characters, startedAt);
          }
          if (joined.kind === 'lead') release = joined.release;
          cache.observe('miss', command.model, command.context);
          cacheOutcome = { status: 'miss', key: undefined };
        } else {
          cache.observe('bypass', command.model, command.context);
          cacheOutcome = { status: 'bypass', key: undefined };
        }
      }
      let routed: Awaited<ReturnType<typeof route>>;
      try {
        routed = await route(input, characters);
      } catch (error) {
        await release?.();
        throw error;
      }
      const firstByteMs = now() - startedAt;
      const costUsd = costOf(routed.deployment, characters);
      const base = {
        deploymentId: routed.deployment.id,
        provider: routed.deployment.provider,
        characters,
        costUsd,
        attempts: routed.attempts.length,
        firstByteMs,
      };
      const audio =
        cache !== undefined && plan?.write === true
          ? cache.store(routed.value.audio, {
              key: cache.keyOf(routed.deployment, keyFields(routed.deployment), plan.namespace),
              deployment: routed.deployment,
              contentType: contentTypeOf(command.format),
              warnings: routed.value.warnings,
              ttlMs: plan.ttlMs,
            })
          : routed.value.audio;
      return {
        audio: observeEnd(audio, (audioBytes, error) => {
          routed.finish(error);
          void release?.();
          if (error === undefined) settle({ ...base, status: 'success', audioBytes });
          else if (command.signal.aborted) settle({ ...base, status: 'cancelled', audioBytes });
          else settle({ ...base, status: 'error', errorCode: dependencies.errorCode?.(error) ?? 'stream_failed', audioBytes });
        }),
        format: command.format,
        contentType: contentTypeOf(command.format),
        deployment: routed.deployment,
        attempts: routed.attempts,
        warnings: routed.value.warnings,
        characters,
        costUsd,
        ...(cacheOutcome === undefined ? {} : { cache: cacheOutcome }),
      };
    } catch (error) {
      settle({
        deploymentId: undefined,
        provider: undefined,
        characters,
        costUsd: 0,
        status: command.signal.aborted ? 'cancelled' : 'error',
        errorCode: dependencies.errorCode?.(error) ?? 'error',
        attempts: error instanceof AllDeploymentsFailedError ? error.attempts.length : 0,
        firstByteMs: undefined,
        audioBytes: 0,
      });
      throw error;
    }
  };
}

/**
 * Passes audio through and reports, once, how it ended: completed, failed, or abandoned by
 * its consumer (an early `return()` counts as an error-free end only if it read everything).
 */
async function* observeEnd(audio: AsyncIterable<Uint8Array>, onEnd: (audioBytes: number, error: unknown) => void): AsyncGenerator<Uint8Array> {
  let audioBytes = 0;
  let completed = false;
  let failure: unknown;
  try {
    for await (const chunk of audio) {
      audioBytes += chunk.length;
      yield chunk;
    }
    completed = true;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    onEnd(audioBytes, completed ? undefined : (failure ?? new Error('audio stream abandoned')));
  }
}

/** OpenAI's first voice: every adapter maps it to its provider's default voice. */
const DEFAULT_VOICE = 'alloy';

/** The request's voice; without one, the deployment's `litellm_params.voice`, else its provider's default (as LiteLLM). */
function voiceFor(deployment: Deployment, requested: string | undefined): string {
  return requested ?? deployment.params.voice ?? DEFAULT_VOICE;
}
