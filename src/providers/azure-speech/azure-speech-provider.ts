import type { Dispatcher } from 'undici';
import { createHttpSpeechProvider, readStreamedAudio } from '../shared/http-speech-provider.js';
import type { SpeechCapabilities, SpeechProvider } from '../spec/types.js';
import { AZURE_SPEED_RANGE, toProviderRequest, type AzureSpeechSettings } from './azure-speech-request.js';
import { readAzureSpeechFailure } from './azure-speech-errors.js';
import { recognizesAzureVoice } from './azure-speech-voices.js';

/**
 * The REST API has no character limit; it cuts any synthesis at 10 minutes of audio. Spoken
 * English runs near 150 words (about 900 characters) a minute, so 7,500 characters is about
 * 8.5 minutes at normal speed: whole clips, with room for slower voices. A client slowing
 * speech well below 1.0 can still reach the cut-off.
 * https://learn.microsoft.com/azure/ai-services/speech-service/speech-services-quotas-and-limits#real-time-text-to-speech
 */
const AZURE_MAX_INPUT_CHARACTERS = 7_500;

const CAPABILITIES: SpeechCapabilities = {
  maxInputCharacters: AZURE_MAX_INPUT_CHARACTERS,
  speed: AZURE_SPEED_RANGE,
  instructions: false,
  streaming: true,
};

/** Azure speech answers carry their id here (`X-RequestId`); error answers too. */
const REQUEST_ID_HEADERS = ['x-requestid', 'apim-request-id', 'x-request-id'] as const;

export interface AzureSpeechProviderOptions {
  readonly settings: AzureSpeechSettings;
  readonly dispatcher: Dispatcher;
}

export function createAzureSpeechProvider(options: AzureSpeechProviderOptions): SpeechProvider {
  return createHttpSpeechProvider(
    {
      id: 'azure_speech',
      capabilities: CAPABILITIES,
      recognizesVoice: recognizesAzureVoice,
      requestIdHeaders: REQUEST_ID_HEADERS,
      toProviderRequest: (request) => toProviderRequest(request, options.settings),
      readFailure: readAzureSpeechFailure,
      readAudio: readStreamedAudio,
    },
    options.dispatcher,
  );
}
