import type { Dispatcher } from 'undici';
import { geminiSpeechAdapter } from '../google/gemini-speech-adapter.js';
import { createHttpSpeechProvider } from '../shared/http-speech-provider.js';
import type { SpeechProvider } from '../spec/types.js';
import { type GeminiSettings, toProviderRequest } from './gemini-request.js';

export interface GeminiProviderOptions {
  readonly settings: GeminiSettings;
  readonly dispatcher: Dispatcher;
}

/** Gemini TTS on the Gemini API (Google AI Studio): one `generateContent` call per request. */
export function createGeminiProvider(options: GeminiProviderOptions): SpeechProvider {
  return createHttpSpeechProvider(
    geminiSpeechAdapter('gemini', (request) => toProviderRequest(request, options.settings)),
    options.dispatcher,
  );
}
