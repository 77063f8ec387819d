import { callUpstream, readRequestId, responseAudio } from '../shared/http-call.js';
import type { SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import { ELEVENLABS_SPEED_RANGE, toProviderRequest, type ElevenLabsSettings } from './elevenlabs-request.js';
import { readElevenLabsFailure } from './elevenlabs-errors.js';
import { maxCharactersOf } from './elevenlabs-models.js';
import { recognizesElevenLabsVoice } from './elevenlabs-voices.js';

/** ElevenLabs names each generation in `request-id` (the id `previous_request_ids` takes). */
const REQUEST_ID_HEADERS = ['request-id', 'x-request-id'];

export interface ElevenLabsProviderOptions {
  readonly settings: ElevenLabsSettings;
  readonly fetch: typeof globalThis.fetch;
}

export function createElevenLabsProvider(options: ElevenLabsProviderOptions): SpeechProvider {
  const capabilities: SpeechCapabilities = {
    maxInputCharacters: maxCharactersOf(options.settings.model),
    speed: ELEVENLABS_SPEED_RANGE,
    instructions: false,
    streaming: true,
  };
  return {
    id: 'elevenlabs',
    capabilities: () => capabilities,
    recognizesVoice: recognizesElevenLabsVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const call = toProviderRequest(request, options.settings);
      const response = await callUpstream({
        provider: 'elevenlabs',
        fetch: options.fetch,
        url: call.url,
        headers: call.headers,
        body: JSON.stringify(call.body),
        signal: request.signal,
        requestIdHeader: REQUEST_ID_HEADERS,
        readFailure: readElevenLabsFailure,
      });
      const upstreamRequestId = readRequestId(response.headers, REQUEST_ID_HEADERS);
      return {
        audio: responseAudio('elevenlabs', response, request.signal),
        encoding: call.encoding,
        warnings: call.warnings,
        ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
      };
    },
  };
}
