import { type GeminiSpeechCall, toGeminiSpeechBody } from '../google/gemini-speech-request.js';
import type { SpeechRequest } from '../spec/types.js';
import { vertexGenerateContentUrl, type VertexModelAddress } from './vertex-endpoints.js';

/** Gemini TTS on Vertex AI: the Gemini API's body, the project's model URL, an OAuth bearer token. */
export function toProviderRequest(request: SpeechRequest, address: VertexModelAddress, accessToken: string): GeminiSpeechCall {
  const { body, warnings } = toGeminiSpeechBody(request);
  return {
    url: vertexGenerateContentUrl(address),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body,
    warnings,
  };
}
