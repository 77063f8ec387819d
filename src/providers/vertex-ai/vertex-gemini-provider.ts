import { callGeminiSpeech } from '../google/gemini-speech-call.js';
import { GEMINI_TTS_CAPABILITIES } from '../google/gemini-capabilities.js';
import { recognizesGeminiVoice } from '../google/gemini-voices.js';
import type { SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import type { AccessTokenSource } from './vertex-access-token.js';
import type { VertexModelAddress } from './vertex-endpoints.js';
import { toProviderRequest } from './vertex-gemini-request.js';

export interface VertexGeminiProviderOptions {
  readonly address: VertexModelAddress;
  readonly tokens: AccessTokenSource;
  readonly fetch: typeof globalThis.fetch;
}

/** `vertex_ai/gemini-…-tts`: Gemini TTS through Vertex AI's `generateContent`. */
export function createVertexGeminiProvider(options: VertexGeminiProviderOptions): SpeechProvider {
  return {
    id: 'vertex_ai',
    capabilities: () => GEMINI_TTS_CAPABILITIES,
    recognizesVoice: recognizesGeminiVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const accessToken = await options.tokens.accessToken(request.signal);
      const call = toProviderRequest(request, options.address, accessToken);
      return callGeminiSpeech({ provider: 'vertex_ai', fetch: options.fetch, signal: request.signal, ...call });
    },
  };
}
