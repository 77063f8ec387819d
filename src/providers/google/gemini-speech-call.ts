import { callUpstream } from '../shared/http-call.js';
import type { SpeechResult } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { readGoogleFailure } from './google-errors.js';
import type { GeminiSpeechBody } from './gemini-speech-request.js';
import { readGeminiSpeechResponse } from './gemini-speech-response.js';
import { readJsonBody } from './google-json-body.js';

export interface GeminiSpeechCall {
  readonly provider: string;
  readonly fetch: typeof globalThis.fetch;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: GeminiSpeechBody;
  readonly warnings: readonly SpeechWarning[];
  readonly signal: AbortSignal;
}

/**
 * One `generateContent` call to a Gemini TTS model, on the Gemini API or Vertex AI. The answer
 * is a single JSON document with the whole clip in base64, so the audio exists only once the
 * body has arrived: it is read in full, then handed on as one chunk.
 */
export async function callGeminiSpeech(call: GeminiSpeechCall): Promise<SpeechResult> {
  const response = await callUpstream({
    provider: call.provider,
    fetch: call.fetch,
    url: call.url,
    headers: call.headers,
    body: JSON.stringify(call.body),
    signal: call.signal,
    readFailure: readGoogleFailure,
  });
  const json = await readJsonBody(response, call.provider, call.signal);
  const { audio, encoding, responseId } = readGeminiSpeechResponse(json, call.provider);
  return {
    audio: single(audio),
    encoding,
    warnings: call.warnings,
    ...(responseId === undefined ? {} : { upstreamRequestId: responseId }),
  };
}

async function* single(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (bytes.length > 0) yield bytes;
}
