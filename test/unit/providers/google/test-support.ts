import { expect } from 'vitest';
import type { ProviderDependencies } from '../../../../src/providers/registry.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';

/** Adapter dependencies for the Google adapters' tests: a given fetch, and an espeak engine that must never be used. */
export function dependenciesWith(fetch: typeof globalThis.fetch = globalThis.fetch): ProviderDependencies {
  return {
    fetch,
    espeakEngine: {
      kind: 'binary',
      speak: () => {
        throw new Error('a Google adapter must not use the espeak engine');
      },
    },
  };
}

export async function collect(audio: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of audio) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The ProviderError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
