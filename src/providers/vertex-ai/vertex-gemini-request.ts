import { toGeminiSpeechBody, type GeminiSpeechBody } from '../google/gemini-speech-request.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { vertexGenerateContentUrl, type VertexModelAddress } from './vertex-endpoints.js';

export interface VertexGeminiHttpRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: GeminiSpeechBody;
  readonly warnings: readonly SpeechWarning[];
}

/** Gemini TTS on Vertex AI: the Gemini API's body, the project's model URL, an OAuth bearer token. */
export function toProviderRequest(request: SpeechRequest, address: VertexModelAddress, accessToken: string): VertexGeminiHttpRequest {
  const { body, warnings } = toGeminiSpeechBody(request);
  return {
    url: vertexGenerateContentUrl(address),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body,
    warnings,
  };
}
