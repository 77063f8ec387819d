import type { Dispatcher } from 'undici';
import type { LitellmParams } from '../config/schema.js';
import type { EspeakEngine } from './espeak/espeak-engine.js';
import type { ProviderId, SpeechProvider } from './spec/types.js';

/** What adapters may use from the outside world, passed in rather than imported. */
export interface ProviderDependencies {
  /** Upstream HTTP: undici's dispatcher (an Agent holds one keep-alive pool per origin). */
  readonly dispatcher: Dispatcher;
  /** Only for libraries that take a fetch of their own (google-auth-library's token requests). */
  readonly fetch: typeof globalThis.fetch;
  readonly espeakEngine: EspeakEngine;
}

interface ProviderCreateOptions {
  /** The model after the provider prefix (`tts-1` in `openai/tts-1`). */
  readonly model: string;
  /** The deployment's whole `litellm_params`; the factory validates the fields it reads. */
  readonly params: LitellmParams;
  readonly dependencies: ProviderDependencies;
}

export interface ProviderFactory {
  readonly id: ProviderId;
  /** Builds the adapter for one deployment. Throws (a ZodError or an Error) on bad params. */
  create(options: ProviderCreateOptions): SpeechProvider;
}

export type ProviderRegistry = ReadonlyMap<ProviderId, ProviderFactory>;

export function createProviderRegistry(factories: readonly ProviderFactory[]): ProviderRegistry {
  return new Map(factories.map((factory) => [factory.id, factory]));
}

export { parseModelString } from '../config/model-string.js';
