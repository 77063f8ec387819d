import type { Dispatcher } from 'undici';
import { createHttpSpeechProvider, readStreamedAudio } from '../shared/http-speech-provider.js';
import type { SpeechProvider } from '../spec/types.js';
import { readElevenLabsFailure } from './elevenlabs-errors.js';
import { maxCharactersOf } from './elevenlabs-models.js';
import { ELEVENLABS_SPEED_RANGE, toProviderRequest, type ElevenLabsSettings } from './elevenlabs-request.js';
import { recognizesElevenLabsVoice } from './elevenlabs-voices.js';

/** ElevenLabs names each generation in `request-id` (the id `previous_request_ids` takes). */
const REQUEST_ID_HEADERS = ['request-id', 'x-request-id'] as const;

export interface ElevenLabsProviderOptions {
  readonly settings: ElevenLabsSettings;
  readonly dispatcher: Dispatcher;
}

export function createElevenLabsProvider(options: ElevenLabsProviderOptions): SpeechProvider {
  return createHttpSpeechProvider(
    {
      id: 'elevenlabs',
      capabilities: {
        maxInputCharacters: maxCharactersOf(options.settings.model),
        speed: ELEVENLABS_SPEED_RANGE,
        instructions: false,
        streaming: true,
      },
      recognizesVoice: recognizesElevenLabsVoice,
      requestIdHeaders: REQUEST_ID_HEADERS,
      toProviderRequest: (request) => toProviderRequest(request, options.settings),
      readFailure: readElevenLabsFailure,
      readAudio: readStreamedAudio,
    },
    options.dispatcher,
  );
}
