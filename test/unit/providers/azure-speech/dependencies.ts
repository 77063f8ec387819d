import type { ProviderDependencies } from '../../../../src/providers/registry.js';

/** Dependencies for building the adapter: the given fetch, and a local engine it must never touch. */
export function dependenciesWith(fetch: typeof globalThis.fetch = globalThis.fetch): ProviderDependencies {
  return {
    fetch,
    espeakEngine: {
      kind: 'binary',
      speak: () => {
        throw new Error('the Azure speech adapter must not use the local engine');
      },
    },
  };
}
