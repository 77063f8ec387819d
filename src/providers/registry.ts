import type { LitellmParams } from '../config/schema.js';
import type { EspeakEngine } from './espeak/engine.js';
import type { ProviderId, SpeechProvider } from './spec/types.js';

/** What adapters may use from the outside world, passed in rather than imported. */
export interface ProviderDependencies {
  readonly fetch: typeof globalThis.fetch;
  readonly espeakEngine: EspeakEngine;
}

export interface ProviderCreateOptions {
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

/**
 * LiteLLM's model prefixes. Order matters: `azure/speech/` is Azure AI Speech while any other
 * `azure/` model is an Azure OpenAI deployment. A bare model name is OpenAI's, as in LiteLLM.
 */
const PREFIXES: ReadonlyArray<readonly [string, ProviderId]> = [
  ['azure/speech/', 'azure_speech'],
  ['azure/', 'azure'],
  ['openai/', 'openai'],
  ['aws_polly/', 'aws_polly'],
  ['vertex_ai/', 'vertex_ai'],
  ['gemini/', 'gemini'],
  ['elevenlabs/', 'elevenlabs'],
  ['minimax/', 'minimax'],
  ['espeak/', 'espeak'],
];

export function parseModelString(model: string): { readonly provider: ProviderId; readonly model: string } | { readonly error: string } {
  for (const [prefix, provider] of PREFIXES) {
    if (model.startsWith(prefix)) {
      const rest = model.slice(prefix.length);
      if (rest === '') return { error: `"${model}" names no model after the "${prefix}" prefix` };
      return { provider, model: rest };
    }
  }
  if (model.includes('/')) {
    const known = PREFIXES.map(([prefix]) => prefix).join(', ');
    return { error: `"${model}" has an unknown provider prefix (known: ${known})` };
  }
  return { provider: 'openai', model };
}
