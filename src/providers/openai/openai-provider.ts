import { callUpstream, responseAudio, type FailureReading, type UpstreamFailure } from '../shared/http-call.js';
import type { SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import { openAIEncoding, type OpenAIHttpRequest } from './openai-body.js';
import { recognizesOpenAIVoice } from './openai-voices.js';

export interface OpenAISpeechProviderOptions {
  readonly id: 'openai' | 'azure';
  readonly capabilities: SpeechCapabilities;
  /** Builds the call for one request (URL, auth and body model are all that differ between OpenAI and Azure). */
  readonly toProviderRequest: (request: SpeechRequest) => OpenAIHttpRequest;
  readonly readFailure: (failure: UpstreamFailure) => FailureReading;
  readonly fetch: typeof globalThis.fetch;
}

/** One `POST …/audio/speech` call, its audio streamed back as OpenAI sends it. */
export function createOpenAISpeechProvider(options: OpenAISpeechProviderOptions): SpeechProvider {
  return {
    id: options.id,
    capabilities: () => options.capabilities,
    recognizesVoice: recognizesOpenAIVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const call = options.toProviderRequest(request);
      const response = await callUpstream({
        provider: options.id,
        fetch: options.fetch,
        url: call.url,
        headers: call.headers,
        body: JSON.stringify(call.body),
        signal: request.signal,
        readFailure: options.readFailure,
      });
      const upstreamRequestId = response.headers.get('x-request-id') ?? undefined;
      return {
        audio: responseAudio(options.id, response, request.signal),
        encoding: openAIEncoding(call.body.response_format),
        warnings: call.warnings,
        ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
      };
    },
  };
}
