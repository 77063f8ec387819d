import { z } from 'zod';
import type { ResponseFormat } from '../../../src/audio/formats.js';

/** Every `output_format` the text-to-speech endpoints accept (elevenlabs-js 2.73 `TextToSpeechStreamRequestOutputFormat`). */
export const ELEVENLABS_OUTPUT_FORMATS: readonly string[] = [
  'mp3_22050_32',
  'mp3_24000_48',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
  'pcm_8000',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_32000',
  'pcm_44100',
  'pcm_48000',
  'wav_8000',
  'wav_16000',
  'wav_22050',
  'wav_24000',
  'wav_32000',
  'wav_44100',
  'wav_48000',
  'ulaw_8000',
  'alaw_8000',
  'opus_48000_32',
  'opus_48000_64',
  'opus_48000_96',
  'opus_48000_128',
  'opus_48000_192',
];

/** Per-request character limits by model (elevenlabs.io/docs/models). */
export const MODEL_CHARACTER_LIMITS: Readonly<Record<string, number>> = {
  eleven_v3: 5_000,
  eleven_multilingual_v2: 10_000,
  eleven_multilingual_v1: 10_000,
  eleven_monolingual_v1: 10_000,
  eleven_flash_v2: 30_000,
  eleven_turbo_v2: 30_000,
  eleven_flash_v2_5: 40_000,
  eleven_turbo_v2_5: 40_000,
};

const unit = z.number().min(0).max(1);

/** The request body as the API validates it (snake_case; unknown fields ignored, as FastAPI does). */
export const speechBodySchema = z.looseObject({
  text: z.string().min(1),
  model_id: z.string().default('eleven_multilingual_v2'),
  language_code: z.string().nullish(),
  voice_settings: z
    .looseObject({
      stability: unit.nullish(),
      similarity_boost: unit.nullish(),
      style: unit.nullish(),
      use_speaker_boost: z.boolean().nullish(),
      speed: z.number().min(0.7).max(1.2).nullish(),
    })
    .nullish(),
  seed: z.number().int().min(0).max(4_294_967_295).nullish(),
  apply_text_normalization: z.enum(['auto', 'on', 'off']).optional(),
  previous_text: z.string().nullish(),
  next_text: z.string().nullish(),
});

/** How the fake renders an output format; undefined for the telephony codecs it does not make. */
export function renderingOf(outputFormat: string): { readonly format: ResponseFormat; readonly sampleRate: number; readonly contentType: string } | undefined {
  const [codec, rate] = outputFormat.split('_');
  const sampleRate = Number(rate);
  switch (codec) {
    case 'mp3':
      return { format: 'mp3', sampleRate, contentType: 'audio/mpeg' };
    case 'pcm':
      return { format: 'pcm', sampleRate, contentType: 'audio/pcm' };
    case 'wav':
      return { format: 'wav', sampleRate, contentType: 'audio/wav' };
    case 'opus':
      return { format: 'opus', sampleRate, contentType: 'audio/ogg' };
    default:
      return undefined;
  }
}
