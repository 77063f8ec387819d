import { startAzureSpeechFake } from './azure-speech/server.js';
import { startElevenLabsFake } from './elevenlabs/server.js';
import { startPollyFake } from './aws-polly/server.js';
import { startMiniMaxFake } from './minimax/server.js';
import type { FakeServer, FakeServerOptions } from './fake-server.js';
import { startGeminiFake, startVertexFake } from './google/server.js';
import { startAzureOpenAIFake, startOpenAIFake } from './openai/server.js';

/**
 * Every provider fake, by provider id, so benchmarks and router tests can start any of them
 * (`tsx test/fakes/run-fake.ts <provider>`). Each fake adds its own line.
 */
export const fakeStarters: Record<string, (options?: FakeServerOptions) => Promise<FakeServer>> = {
  gemini: startGeminiFake,
  vertex_ai: startVertexFake,
  openai: startOpenAIFake,
  azure: startAzureOpenAIFake,
  azure_speech: startAzureSpeechFake,
  elevenlabs: startElevenLabsFake,
  aws_polly: startPollyFake,
  minimax: startMiniMaxFake,
};
