import type { Dispatcher } from 'undici';
import type { UpstreamResponse } from '../shared/http-call.js';
import { createHttpSpeechProvider, type ProviderAudio } from '../shared/http-speech-provider.js';
import type { SpeechCapabilities, SpeechProvider } from '../spec/types.js';
import { readMiniMaxFailure } from './minimax-errors.js';
import {
  MINIMAX_MAX_INPUT_CHARACTERS,
  MINIMAX_MAX_SPEED,
  MINIMAX_MIN_SPEED,
  type MiniMaxHttpRequest,
  type MiniMaxSettings,
  toProviderRequest,
} from './minimax-request.js';
import { miniMaxAudio, type StreamState, unreadable } from './minimax-stream.js';
import { recognizesMiniMaxVoice } from './minimax-voices.js';

const CAPABILITIES: SpeechCapabilities = {
  maxInputCharacters: MINIMAX_MAX_INPUT_CHARACTERS,
  speed: { min: MINIMAX_MIN_SPEED, max: MINIMAX_MAX_SPEED },
  instructions: false,
  streaming: true,
};

/** MiniMax's gateway names the call in `Trace-Id`; the payloads repeat it as `trace_id`. */
const REQUEST_ID_HEADERS = ['trace-id'] as const;

export interface MiniMaxProviderOptions {
  readonly settings: MiniMaxSettings;
  readonly dispatcher: Dispatcher;
}

export function createMiniMaxProvider(options: MiniMaxProviderOptions): SpeechProvider {
  return createHttpSpeechProvider(
    {
      id: 'minimax',
      capabilities: CAPABILITIES,
      recognizesVoice: recognizesMiniMaxVoice,
      requestIdHeaders: REQUEST_ID_HEADERS,
      toProviderRequest: (request) => toProviderRequest(request, options.settings),
      readFailure: readMiniMaxFailure,
      readAudio: readMiniMaxAudio,
    },
    options.dispatcher,
  );
}

/**
 * A business error arrives with HTTP 200, possibly as the first stream event: the answer is
 * read up to its first audio so that it is still a ProviderError here, before anything
 * reaches the client.
 */
async function readMiniMaxAudio(response: UpstreamResponse, call: MiniMaxHttpRequest, signal: AbortSignal): Promise<ProviderAudio> {
  const state: StreamState = { traceId: response.upstreamRequestId };
  const audio = miniMaxAudio(response, signal, state);
  await audio.firstAudio(() => unreadable('no audio'));
  return { audio, encoding: call.encoding, upstreamRequestId: state.traceId };
}
