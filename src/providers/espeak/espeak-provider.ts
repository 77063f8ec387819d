import { readWavStream } from '../../audio/wav.js';
import { ProcessFailedError } from '../../audio/process-stream.js';
import { ProviderError } from '../spec/errors.js';
import type { SpeechCapabilities, SpeechProvider, SpeechRequest, SpeechResult } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import type { EspeakEngine } from './espeak-engine.js';
import { isNativeEspeakVoice, recognizesEspeakVoice, resolveEspeakVoice } from './espeak-voices.js';

/** espeak-ng's default rate; OpenAI's speed 1.0 maps to it. */
const BASE_WORDS_PER_MINUTE = 175;
/** The rates espeak-ng accepts (`-s`); beyond them it clamps silently, so we clamp and say so. */
const MIN_WORDS_PER_MINUTE = 80;
const MAX_WORDS_PER_MINUTE = 450;

const CAPABILITIES: SpeechCapabilities = {
  // The engine streams and has no limit of its own; this only bounds one request's work.
  maxInputCharacters: 100_000,
  speed: { min: MIN_WORDS_PER_MINUTE / BASE_WORDS_PER_MINUTE, max: MAX_WORDS_PER_MINUTE / BASE_WORDS_PER_MINUTE },
  instructions: false,
  streaming: true,
};

export interface EspeakProviderOptions {
  /** The deployment's language, from `espeak/<language>` (for example `en-us`). */
  readonly language: string;
  readonly engine: EspeakEngine;
}

export function createEspeakProvider(options: EspeakProviderOptions): SpeechProvider {
  if (!isNativeEspeakVoice(options.language)) {
    throw new Error(`"${options.language}" is not an espeak-ng language or voice name`);
  }
  return {
    id: 'espeak',
    capabilities: () => CAPABILITIES,
    recognizesVoice: recognizesEspeakVoice,
    async synthesize(request: SpeechRequest): Promise<SpeechResult> {
      const voice = resolveEspeakVoice(request.voice, options.language);
      if (voice === undefined) {
        throw new ProviderError({
          kind: 'invalid_request',
          provider: 'espeak',
          status: 400,
          message: `voice "${request.voice}" is not an OpenAI voice name nor an espeak-ng voice`,
        });
      }
      const warnings: SpeechWarning[] = [];
      const requestedRate = Math.round(BASE_WORDS_PER_MINUTE * request.speed);
      const wordsPerMinute = Math.min(MAX_WORDS_PER_MINUTE, Math.max(MIN_WORDS_PER_MINUTE, requestedRate));
      if (wordsPerMinute !== requestedRate) {
        warnings.push({ type: 'clamped-setting', setting: 'speed', requested: request.speed, applied: wordsPerMinute / BASE_WORDS_PER_MINUTE });
      }
      if (request.instructions !== undefined && request.instructions !== '') {
        warnings.push({ type: 'unsupported-setting', setting: 'instructions', details: 'the local engine has no style prompt' });
      }
      const wav = options.engine.speak({ text: request.input, voice, wordsPerMinute, signal: request.signal });
      try {
        const { encoding, audio } = await readWavStream(wav);
        return { audio: mapEngineErrors(audio), encoding, warnings };
      } catch (error) {
        throw toProviderError(error, request.signal);
      }
    },
  };
}

async function* mapEngineErrors(audio: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* audio;
  } catch (error) {
    throw toProviderError(error, undefined);
  }
}

function toProviderError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return error;
  if (error instanceof ProcessFailedError && /voice does not exist/i.test(error.stderr)) {
    return new ProviderError({
      kind: 'invalid_request',
      provider: 'espeak',
      status: 400,
      message: 'the requested espeak-ng voice does not exist',
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new ProviderError({
    kind: 'unavailable',
    provider: 'espeak',
    message: `local engine failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
