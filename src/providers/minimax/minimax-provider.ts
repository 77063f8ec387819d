import { callUpstream } from '../shared/http-call.js';
import { ProviderError } from '../spec/errors.js';
import type { SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import { MINIMAX_PROVIDER, readMiniMaxFailure } from './minimax-errors.js';
import { MINIMAX_MAX_INPUT_CHARACTERS, MINIMAX_MAX_SPEED, MINIMAX_MIN_SPEED, toProviderRequest, type MiniMaxSettings } from './minimax-request.js';
import { miniMaxAudio, type StreamState } from './minimax-stream.js';
import { recognizesMiniMaxVoice } from './minimax-voices.js';

const CAPABILITIES: SpeechCapabilities = {
  maxInputCharacters: MINIMAX_MAX_INPUT_CHARACTERS,
  speed: { min: MINIMAX_MIN_SPEED, max: MINIMAX_MAX_SPEED },
  instructions: false,
  streaming: true,
};

export interface MiniMaxProviderOptions {
  readonly settings: MiniMaxSettings;
  readonly fetch: typeof globalThis.fetch;
}

export function createMiniMaxProvider(options: MiniMaxProviderOptions): SpeechProvider {
  return {
    id: 'minimax',
    capabilities: () => CAPABILITIES,
    recognizesVoice: recognizesMiniMaxVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const call = toProviderRequest(request, options.settings);
      const response = await callUpstream({
        provider: MINIMAX_PROVIDER,
        fetch: options.fetch,
        url: call.url,
        headers: call.headers,
        body: call.body,
        signal: request.signal,
        requestIdHeader: 'trace-id',
        readFailure: readMiniMaxFailure,
      });
      const state: StreamState = { traceId: response.headers.get('trace-id') ?? undefined };
      const audio = miniMaxAudio(response, request.signal, state);
      // A business error arrives with HTTP 200, possibly as the first stream event: read up to
      // the first audio so it is still a ProviderError here, before anything reaches the client.
      const first = await audio.next();
      if (first.done === true) {
        throw new ProviderError({ kind: 'unavailable', provider: MINIMAX_PROVIDER, message: 'MiniMax sent no audio' });
      }
      return {
        audio: replay(first.value, audio),
        encoding: call.encoding,
        warnings: call.warnings,
        ...(state.traceId === undefined ? {} : { upstreamRequestId: state.traceId }),
      };
    },
  };
}

async function* replay(head: Uint8Array, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}
