import type { Dispatcher } from 'undici';
import { geminiSpeechAdapter } from '../google/gemini-speech-adapter.js';
import { createHttpSpeechProvider } from '../shared/http-speech-provider.js';
import type { SpeechProvider } from '../spec/types.js';
import type { AccessTokenSource } from './vertex-access-token.js';
import type { VertexModelAddress } from './vertex-endpoints.js';
import { toProviderRequest } from './vertex-gemini-request.js';

export interface VertexGeminiProviderOptions {
  readonly address: VertexModelAddress;
  readonly tokens: AccessTokenSource;
  readonly dispatcher: Dispatcher;
}

/** `vertex_ai/gemini-…-tts`: Gemini TTS through Vertex AI's `generateContent`. */
export function createVertexGeminiProvider(options: VertexGeminiProviderOptions): SpeechProvider {
  const adapter = geminiSpeechAdapter('vertex_ai', async (request) =>
    toProviderRequest(request, options.address, await options.tokens.accessToken(request.signal)),
  );
  return createHttpSpeechProvider(adapter, options.dispatcher);
}
