import { z } from 'zod';
import { OPENAI_PCM_SAMPLE_RATE, type AudioEncoding } from '../../audio/formats.js';
import { InvalidWavError, readWavStream } from '../../audio/wav.js';
import { parseAnswer } from '../shared/json-body.js';
import { wholeAudio } from '../shared/upstream-audio.js';
import { ProviderError } from '../spec/errors.js';
import type { CloudTtsEncoding } from './cloud-tts-request.js';

/** `SynthesizeSpeechResponse`: the `bytes` field `audioContent`, base64 in JSON. */
const responseSchema = z.looseObject({ audioContent: z.string().min(1, 'audioContent is empty') });

export interface CloudTtsAudio {
  readonly audio: AsyncIterable<Uint8Array>;
  readonly encoding: AudioEncoding;
}

/**
 * The clip of a synthesize answer, with the encoding that was asked for. LINEAR16 carries a WAV
 * header, whose format chunk states the rate and channels; PCM is the same samples headerless,
 * at the `sampleRateHertz` requested.
 */
export async function readCloudTtsAudio(json: unknown, audioEncoding: CloudTtsEncoding, provider: string): Promise<CloudTtsAudio> {
  const bytes = Buffer.from(parseAnswer(responseSchema, json, provider, 'text:synthesize').audioContent, 'base64');
  const requested = { sampleRate: OPENAI_PCM_SAMPLE_RATE, channels: 1 };
  switch (audioEncoding) {
    case 'MP3':
      return { audio: wholeAudio(bytes), encoding: { format: 'mp3', ...requested } };
    case 'OGG_OPUS':
      return { audio: wholeAudio(bytes), encoding: { format: 'opus', ...requested } };
    case 'PCM':
      return { audio: wholeAudio(bytes), encoding: { format: 'pcm', ...requested } };
    case 'LINEAR16':
      try {
        return await readWavStream(wholeAudio(bytes));
      } catch (error) {
        if (!(error instanceof InvalidWavError)) throw error;
        throw new ProviderError({
          kind: 'unavailable',
          provider,
          status: 200,
          message: `LINEAR16 audio without a readable WAV header: ${error.message}`,
          cause: error,
        });
      }
  }
}
