import type { Dispatcher } from 'undici';
import { readGoogleFailure } from '../google/google-errors.js';
import type { UpstreamResponse } from '../shared/http-call.js';
import { createHttpSpeechProvider, type ProviderAudio } from '../shared/http-speech-provider.js';
import { readJsonAnswer } from '../shared/json-body.js';
import type { SpeechCapabilities, SpeechProvider } from '../spec/types.js';
import { CLOUD_TTS_MAX_INPUT_BYTES, type CloudTtsHttpRequest, type CloudTtsSettings, SPEAKING_RATE, toProviderRequest } from './cloud-tts-request.js';
import { readCloudTtsAudio } from './cloud-tts-response.js';
import { recognizesCloudTtsVoice } from './cloud-tts-voices.js';
import type { AccessTokenSource } from './vertex-access-token.js';

const CAPABILITIES: SpeechCapabilities = {
  // The API counts 5,000 bytes; longer UTF-8 inputs within this many characters are refused before the call.
  maxInputCharacters: CLOUD_TTS_MAX_INPUT_BYTES,
  speed: SPEAKING_RATE,
  instructions: false,
  // REST synthesize answers one JSON document; streaming synthesis exists only over gRPC.
  streaming: false,
};

export interface CloudTtsProviderOptions {
  readonly settings: CloudTtsSettings;
  readonly tokens: AccessTokenSource;
  readonly dispatcher: Dispatcher;
}

/** `vertex_ai/chirp` and every other non-Gemini `vertex_ai/` speech model: Cloud Text-to-Speech, as in LiteLLM. */
export function createCloudTtsProvider(options: CloudTtsProviderOptions): SpeechProvider {
  return createHttpSpeechProvider(
    {
      id: 'vertex_ai',
      capabilities: CAPABILITIES,
      recognizesVoice: recognizesCloudTtsVoice,
      // Google names neither the call nor its answer.
      requestIdHeaders: [],
      toProviderRequest: async (request) => toProviderRequest(request, options.settings, await options.tokens.accessToken(request.signal)),
      readFailure: readGoogleFailure,
      readAudio: readSynthesizeAnswer,
    },
    options.dispatcher,
  );
}

async function readSynthesizeAnswer(response: UpstreamResponse, call: CloudTtsHttpRequest, signal: AbortSignal): Promise<ProviderAudio> {
  return readCloudTtsAudio(await readJsonAnswer(response, signal), call.body.audioConfig.audioEncoding, response.provider);
}
