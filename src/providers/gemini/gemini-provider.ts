import { callGeminiSpeech } from '../google/gemini-speech-call.js';
import { GEMINI_TTS_CAPABILITIES } from '../google/gemini-capabilities.js';
import { recognizesGeminiVoice } from '../google/gemini-voices.js';
import type { SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import { toProviderRequest, type GeminiSettings } from './gemini-request.js';

export interface GeminiProviderOptions {
  readonly settings: GeminiSettings;
  readonly fetch: typeof globalThis.fetch;
}

/** Gemini TTS on the Gemini API (Google AI Studio): one `generateContent` call per request. */
export function createGeminiProvider(options: GeminiProviderOptions): SpeechProvider {
  return {
    id: 'gemini',
    capabilities: () => GEMINI_TTS_CAPABILITIES,
    recognizesVoice: recognizesGeminiVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const call = toProviderRequest(request, options.settings);
      return callGeminiSpeech({ provider: 'gemini', fetch: options.fetch, signal: request.signal, ...call });
    },
  };
}
