import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';
import { readStreamedAudio, type HttpSpeechAdapter } from '../shared/http-speech-provider.js';
import type { SpeechCapabilities, SpeechRequest } from '../spec/types.js';
import type { OpenAIHttpRequest } from './openai-body.js';
import { recognizesOpenAIVoice } from './openai-voices.js';

export interface OpenAIAdapterOptions {
  readonly id: 'openai' | 'azure';
  readonly capabilities: SpeechCapabilities;
  /** Builds the call for one request (URL, auth and body model are all that differ between OpenAI and Azure). */
  readonly toProviderRequest: (request: SpeechRequest) => OpenAIHttpRequest;
  readonly readFailure: (failure: UpstreamFailure) => FailureReading;
  readonly requestIdHeaders: readonly string[];
}

/** OpenAI names every answer in `x-request-id` (openai-node reads it into `requestID`). */
export const OPENAI_REQUEST_ID_HEADERS = ['x-request-id'] as const;

/** One `POST …/audio/speech` call, its audio streamed back as OpenAI sends it. */
export function openAIAdapter(options: OpenAIAdapterOptions): HttpSpeechAdapter<OpenAIHttpRequest> {
  return { ...options, recognizesVoice: recognizesOpenAIVoice, readAudio: readStreamedAudio };
}
