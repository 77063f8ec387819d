import type { ProviderDependencies } from '../../../../src/providers/registry.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';

/** Adapter dependencies for tests: a given fetch, and an espeak engine that must never be used. */
export function dependenciesWith(fetch: typeof globalThis.fetch = globalThis.fetch): ProviderDependencies {
  return {
    fetch,
    espeakEngine: {
      kind: 'binary',
      speak: () => {
        throw new Error('an OpenAI-family adapter must not use the espeak engine');
      },
    },
  };
}

export function speechRequest(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { model: 'tts-1', input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, ...overrides };
}
