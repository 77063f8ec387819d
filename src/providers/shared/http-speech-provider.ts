import type { Dispatcher } from 'undici';
import type { AudioEncoding } from '../../audio/formats.js';
import type { ProviderId, SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { callUpstream, type FailureReading, type UpstreamFailure, type UpstreamResponse } from './http-call.js';
import { UpstreamAudio } from './upstream-audio.js';

/** The one HTTP request a speech request becomes, as an adapter's pure `toProviderRequest` builds it. */
export interface HttpSpeechCall {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  readonly body: string | object;
  readonly warnings: readonly SpeechWarning[];
}

/** A call whose answer is the audio itself, in a known encoding. */
export interface StreamedSpeechCall extends HttpSpeechCall {
  readonly encoding: AudioEncoding;
}

/** What an adapter reads out of a 2xx answer. */
export interface ProviderAudio {
  readonly audio: AsyncIterable<Uint8Array>;
  readonly encoding: AudioEncoding;
  /** When the upstream names the call in its body rather than in a header. */
  readonly upstreamRequestId?: string | undefined;
}

/**
 * An HTTP speech adapter as configuration: how a request maps to one call, how a failure
 * reads, which headers name the call, and how the answer becomes audio. The call itself,
 * the error taxonomy and the stream handling live in `createHttpSpeechProvider`, once.
 */
export interface HttpSpeechAdapter<Call extends HttpSpeechCall> {
  readonly id: ProviderId;
  readonly capabilities: SpeechCapabilities;
  readonly recognizesVoice?: (voice: string) => boolean;
  /** Response headers that carry the upstream's request id, lower-case, first found wins. */
  readonly requestIdHeaders: readonly string[];
  /** Pure but for credentials that must be fetched first (OAuth tokens), hence the promise. */
  readonly toProviderRequest: (request: SpeechRequest) => Call | Promise<Call>;
  readonly readFailure: (failure: UpstreamFailure) => FailureReading;
  /** Turns the answer into audio; `readStreamedAudio` when the body is the audio. */
  readonly readAudio: (response: UpstreamResponse, call: Call, signal: AbortSignal) => ProviderAudio | Promise<ProviderAudio>;
}

/** One upstream call per synthesis through `dispatcher`, whatever the provider. */
export function createHttpSpeechProvider<Call extends HttpSpeechCall>(adapter: HttpSpeechAdapter<Call>, dispatcher: Dispatcher): SpeechProvider {
  const { id, capabilities, recognizesVoice, requestIdHeaders, readFailure } = adapter;
  return {
    id,
    capabilities: () => capabilities,
    ...(recognizesVoice === undefined ? {} : { recognizesVoice }),
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const call = await adapter.toProviderRequest(request);
      const response = await callUpstream({
        provider: id,
        dispatcher,
        url: call.url,
        headers: call.headers,
        body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body),
        signal: request.signal,
        requestIdHeaders,
        readFailure,
      });
      const { audio, encoding, upstreamRequestId = response.upstreamRequestId } = await adapter.readAudio(response, call, request.signal);
      return { audio, encoding, warnings: call.warnings, ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }) };
    },
  };
}

/** The body is the audio, streamed as it arrives, in the encoding the call asked for. */
export function readStreamedAudio(response: UpstreamResponse, call: StreamedSpeechCall, signal: AbortSignal): ProviderAudio {
  return { audio: new UpstreamAudio(response.body, response.provider, signal), encoding: call.encoding };
}
