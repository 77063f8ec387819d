import type { Dispatcher } from 'undici';
import type { ProviderDependencies } from '../../src/providers/registry.js';
import { createUpstreamAgent } from '../../src/providers/shared/upstream-agent.js';

/** One keep-alive agent for the adapters a test file builds against its fakes (idle sockets never hold the process). */
export const testDispatcher: Dispatcher = createUpstreamAgent();

/** Dependencies for building a cloud adapter in tests: the given dispatcher and fetch, and a local engine it must never touch. */
export function remoteProviderDependencies(dispatcher: Dispatcher = testDispatcher, fetch: typeof globalThis.fetch = globalThis.fetch): ProviderDependencies {
  return {
    dispatcher,
    fetch,
    espeakEngine: {
      kind: 'binary',
      speak: () => {
        throw new Error('a cloud adapter must not use the local engine');
      },
    },
  };
}

export async function collectAudio(audio: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of audio) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The chunks as they arrived, to check that audio streamed rather than came at once. */
export async function collectChunks(audio: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of audio) chunks.push(chunk);
  return chunks;
}

/** What a promise rejects with; throws when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
