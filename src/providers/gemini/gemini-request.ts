import { type GeminiSpeechCall, toGeminiSpeechBody } from '../google/gemini-speech-request.js';
import type { SpeechRequest } from '../spec/types.js';

export const GEMINI_DEFAULT_API_BASE = 'https://generativelanguage.googleapis.com';

/** One Gemini API deployment, from its `litellm_params`. */
export interface GeminiSettings {
  /** The model after `gemini/`, e.g. `gemini-2.5-flash-preview-tts`. */
  readonly model: string;
  readonly apiKey: string;
  readonly apiBase: string;
}

/** A version segment at the end of an api_base (`…/v1beta`, `…/v1`, `…/v1alpha`). */
const VERSIONED = /\/v\d+(?:alpha|beta)?\d*$/;

/**
 * `POST {api_base}/v1beta/models/{model}:generateContent` with the key in `x-goog-api-key`, as the
 * @google/genai SDK sends it (the key stays out of URLs and logs). An api_base that already ends
 * in a version (`https://…/v1beta`) is LiteLLM's form, which appends `/models/{model}:…` to it.
 */
export function toProviderRequest(request: SpeechRequest, settings: GeminiSettings): GeminiSpeechCall {
  const base = settings.apiBase.replace(/\/+$/, '');
  const versioned = VERSIONED.test(base) ? base : `${base}/v1beta`;
  const { body, warnings } = toGeminiSpeechBody(request);
  return {
    url: `${versioned}/models/${encodeURIComponent(settings.model)}:generateContent`,
    headers: { 'content-type': 'application/json', 'x-goog-api-key': settings.apiKey },
    body,
    warnings,
  };
}
