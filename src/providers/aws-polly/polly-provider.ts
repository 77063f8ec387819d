import type { SynthesizeSpeechCommandOutput } from '@aws-sdk/client-polly';
import { networkFailure } from '../shared/http-call.js';
import { ProviderError } from '../spec/errors.js';
import type { SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import type { PollySend } from './polly-client.js';
import { POLLY_PROVIDER, toPollyError } from './polly-errors.js';
import { POLLY_MAX_BILLED_CHARACTERS, toProviderRequest, type PollySettings } from './polly-request.js';
import { MAX_PROSODY_RATE, MIN_PROSODY_RATE } from './polly-ssml.js';
import { recognizesPollyVoice } from './polly-voices.js';

const CAPABILITIES: SpeechCapabilities = {
  maxInputCharacters: POLLY_MAX_BILLED_CHARACTERS,
  speed: { min: MIN_PROSODY_RATE, max: MAX_PROSODY_RATE },
  instructions: false,
  streaming: true,
};

/** The Content-Type Polly answers each output format with. */
const CONTENT_TYPES: Readonly<Record<string, string>> = { mp3: 'audio/mpeg', ogg_opus: 'audio/ogg', pcm: 'audio/pcm' };

export interface PollyProviderOptions {
  readonly settings: PollySettings;
  readonly send: PollySend;
}

export function createPollyProvider(options: PollyProviderOptions): SpeechProvider {
  return {
    id: 'aws_polly',
    capabilities: () => CAPABILITIES,
    recognizesVoice: recognizesPollyVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const call = toProviderRequest(request, options.settings);
      let output: SynthesizeSpeechCommandOutput;
      try {
        output = await options.send(call.input, request.signal);
      } catch (error) {
        throw toPollyError(error, request.signal);
      }
      const upstreamRequestId = output.$metadata.requestId;
      const expected = CONTENT_TYPES[call.input.OutputFormat ?? ''];
      if (output.ContentType !== undefined && expected !== undefined && !output.ContentType.startsWith(expected)) {
        destroyStream(output.AudioStream);
        throw new ProviderError({
          kind: 'unavailable',
          provider: POLLY_PROVIDER,
          message: `asked for ${call.input.OutputFormat} but Polly answered ${output.ContentType}`,
          ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
        });
      }
      return {
        audio: audioChunks(output.AudioStream, request.signal),
        encoding: call.encoding,
        warnings: call.warnings,
        ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
      };
    },
  };
}

/**
 * The SDK's `AudioStream` (a Node `Readable` on Node) chunk by chunk, as Polly sends it. An
 * abort destroys it, so a stalled upstream cannot hold the call open.
 */
async function* audioChunks(stream: unknown, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (!isAsyncIterable(stream)) {
    throw new ProviderError({ kind: 'unavailable', provider: POLLY_PROVIDER, message: 'Polly answered without an audio stream' });
  }
  const onAbort = (): void => destroyStream(stream);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      if (!(chunk instanceof Uint8Array))
        throw new ProviderError({ kind: 'unavailable', provider: POLLY_PROVIDER, message: 'Polly sent a non-binary audio chunk' });
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw networkFailure(POLLY_PROVIDER, error, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
    destroyStream(stream);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function destroyStream(stream: unknown): void {
  if (typeof stream === 'object' && stream !== null && 'destroy' in stream && typeof stream.destroy === 'function') {
    (stream as { destroy: () => void }).destroy();
  }
}
