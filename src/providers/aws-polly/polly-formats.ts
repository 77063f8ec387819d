import type { AudioEncoding, ResponseFormat } from '../../audio/formats.js';

type PollyOutputFormat = 'mp3' | 'ogg_opus' | 'pcm';

export interface PollyOutput {
  readonly outputFormat: PollyOutputFormat;
  /** Polly wants the rate as a string. */
  readonly sampleRate: string;
  readonly encoding: AudioEncoding;
}

/**
 * What to ask Polly for, per requested format. Allowed `SampleRate` values
 * (https://docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html): mp3 and ogg_vorbis
 * 8000–48000, pcm only 8000 or 16000, ogg_opus only 48000.
 * - mp3 at 24 kHz, OpenAI's rate (neural/generative/long-form default; standard defaults to 22050).
 * - opus: Polly's ogg_opus is what OpenAI's `opus` is (Opus in Ogg), at its only rate.
 * - pcm, wav, flac: raw 16 kHz pcm, Polly's best lossless rate, resampled downstream;
 *   LiteLLM sends wav requests as headerless pcm and calls it wav.
 * - aac: mp3 at 24 kHz, transcoded; already lossy either way, and wider-band than 16 kHz pcm.
 */
const OUTPUTS: Record<ResponseFormat, PollyOutput> = {
  mp3: { outputFormat: 'mp3', sampleRate: '24000', encoding: { format: 'mp3', sampleRate: 24_000, channels: 1 } },
  aac: { outputFormat: 'mp3', sampleRate: '24000', encoding: { format: 'mp3', sampleRate: 24_000, channels: 1 } },
  opus: { outputFormat: 'ogg_opus', sampleRate: '48000', encoding: { format: 'opus', sampleRate: 48_000, channels: 1 } },
  pcm: { outputFormat: 'pcm', sampleRate: '16000', encoding: { format: 'pcm', sampleRate: 16_000, channels: 1 } },
  wav: { outputFormat: 'pcm', sampleRate: '16000', encoding: { format: 'pcm', sampleRate: 16_000, channels: 1 } },
  flac: { outputFormat: 'pcm', sampleRate: '16000', encoding: { format: 'pcm', sampleRate: 16_000, channels: 1 } },
};

export function pollyOutputFor(format: ResponseFormat): PollyOutput {
  return OUTPUTS[format];
}
