import { espeakFactory } from './espeak/index.js';
import { azureFactory } from './azure/index.js';
import { openaiFactory } from './openai/index.js';
import { azureSpeechFactory } from './azure-speech/index.js';
import { elevenLabsFactory } from './elevenlabs/index.js';
import { awsPollyFactory } from './aws-polly/index.js';
import { miniMaxFactory } from './minimax/index.js';
import { geminiFactory } from './gemini/index.js';
import { vertexAiFactory } from './vertex-ai/index.js';
import type { ProviderFactory } from './registry.js';

/** Every provider adapter shipped with the gateway, keyed by its LiteLLM prefix in the registry. */
export const builtInProviders: readonly ProviderFactory[] = [
  openaiFactory,
  azureFactory,
  azureSpeechFactory,
  awsPollyFactory,
  vertexAiFactory,
  geminiFactory,
  elevenLabsFactory,
  miniMaxFactory,
  espeakFactory,
];
