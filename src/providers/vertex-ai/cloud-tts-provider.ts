import { readGoogleFailure } from '../google/google-errors.js';
import { readJsonBody } from '../google/google-json-body.js';
import { callUpstream } from '../shared/http-call.js';
import type { SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import type { AccessTokenSource } from './vertex-access-token.js';
import { CLOUD_TTS_MAX_INPUT_BYTES, SPEAKING_RATE, toProviderRequest, type CloudTtsSettings } from './cloud-tts-request.js';
import { readCloudTtsAudio } from './cloud-tts-response.js';
import { recognizesCloudTtsVoice } from './cloud-tts-voices.js';

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
  readonly fetch: typeof globalThis.fetch;
}

/** `vertex_ai/chirp` and every other non-Gemini `vertex_ai/` speech model: Cloud Text-to-Speech, as in LiteLLM. */
export function createCloudTtsProvider(options: CloudTtsProviderOptions): SpeechProvider {
  return {
    id: 'vertex_ai',
    capabilities: () => CAPABILITIES,
    recognizesVoice: recognizesCloudTtsVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const accessToken = await options.tokens.accessToken(request.signal);
      const call = toProviderRequest(request, options.settings, accessToken);
      const response = await callUpstream({
        provider: 'vertex_ai',
        fetch: options.fetch,
        url: call.url,
        headers: call.headers,
        body: JSON.stringify(call.body),
        signal: request.signal,
        readFailure: readGoogleFailure,
      });
      const json = await readJsonBody(response, 'vertex_ai', request.signal);
      const { audio, encoding } = await readCloudTtsAudio(json, call.body.audioConfig.audioEncoding, 'vertex_ai');
      return { audio, encoding, warnings: call.warnings };
    },
  };
}
