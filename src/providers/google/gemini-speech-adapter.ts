import type { UpstreamResponse } from '../shared/http-call.js';
import type { HttpSpeechAdapter, ProviderAudio } from '../shared/http-speech-provider.js';
import { readJsonAnswer } from '../shared/json-body.js';
import { wholeAudio } from '../shared/upstream-audio.js';
import type { SpeechRequest } from '../spec/types.js';
import { GEMINI_TTS_CAPABILITIES } from './gemini-capabilities.js';
import type { GeminiSpeechCall } from './gemini-speech-request.js';
import { readGeminiSpeechResponse } from './gemini-speech-response.js';
import { recognizesGeminiVoice } from './gemini-voices.js';
import { readGoogleFailure } from './google-errors.js';

/**
 * A Gemini TTS model behind `generateContent`, on the Gemini API or Vertex AI: only the URL and
 * the credential differ. Google sends no request-id header; the answer names itself in `responseId`.
 */
export function geminiSpeechAdapter(
  id: 'gemini' | 'vertex_ai',
  toProviderRequest: (request: SpeechRequest) => GeminiSpeechCall | Promise<GeminiSpeechCall>,
): HttpSpeechAdapter<GeminiSpeechCall> {
  return {
    id,
    capabilities: GEMINI_TTS_CAPABILITIES,
    recognizesVoice: recognizesGeminiVoice,
    requestIdHeaders: [],
    toProviderRequest,
    readFailure: readGoogleFailure,
    readAudio: readGeminiAudio,
  };
}

/**
 * The answer is a single JSON document with the whole clip in base64, so the audio exists only
 * once the body has arrived: it is read in full, then handed on as one chunk.
 */
async function readGeminiAudio(response: UpstreamResponse, _call: GeminiSpeechCall, signal: AbortSignal): Promise<ProviderAudio> {
  const { audio, encoding, responseId } = readGeminiSpeechResponse(await readJsonAnswer(response, signal), response.provider);
  return { audio: wholeAudio(audio), encoding, upstreamRequestId: responseId };
}
