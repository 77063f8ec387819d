import { espeakFactory } from './espeak/index.js';
import type { ProviderFactory } from './registry.js';

/** Every provider adapter shipped with the gateway, keyed by its LiteLLM prefix in the registry. */
export const builtInProviders: readonly ProviderFactory[] = [espeakFactory];
