import type { ResponseFormat } from '../../../src/audio/formats.js';

/**
 * Every `X-Microsoft-OutputFormat` value the REST API accepts (rest-text-to-speech.md,
 * "Audio outputs"); anything else is a 400.
 */
export const AZURE_OUTPUT_FORMATS: ReadonlySet<string> = new Set([
  'amr-wb-16000hz',
  'audio-16khz-16bit-32kbps-mono-opus',
  'audio-16khz-32kbitrate-mono-mp3',
  'audio-16khz-64kbitrate-mono-mp3',
  'audio-16khz-128kbitrate-mono-mp3',
  'audio-24khz-16bit-24kbps-mono-opus',
  'audio-24khz-16bit-48kbps-mono-opus',
  'audio-24khz-48kbitrate-mono-mp3',
  'audio-24khz-96kbitrate-mono-mp3',
  'audio-24khz-160kbitrate-mono-mp3',
  'audio-48khz-96kbitrate-mono-mp3',
  'audio-48khz-192kbitrate-mono-mp3',
  'ogg-16khz-16bit-mono-opus',
  'ogg-24khz-16bit-mono-opus',
  'ogg-48khz-16bit-mono-opus',
  'raw-8khz-8bit-mono-alaw',
  'raw-8khz-8bit-mono-mulaw',
  'raw-8khz-16bit-mono-pcm',
  'raw-16khz-16bit-mono-pcm',
  'raw-16khz-16bit-mono-truesilk',
  'raw-22050hz-16bit-mono-pcm',
  'raw-24khz-16bit-mono-pcm',
  'raw-24khz-16bit-mono-truesilk',
  'raw-44100hz-16bit-mono-pcm',
  'raw-48khz-16bit-mono-pcm',
  'webm-16khz-16bit-mono-opus',
  'webm-24khz-16bit-24kbps-mono-opus',
  'webm-24khz-16bit-mono-opus',
  'riff-8khz-8bit-mono-alaw',
  'riff-8khz-8bit-mono-mulaw',
  'riff-8khz-16bit-mono-pcm',
  'riff-16khz-16bit-mono-pcm',
  'riff-22050hz-16bit-mono-pcm',
  'riff-24khz-16bit-mono-pcm',
  'riff-44100hz-16bit-mono-pcm',
  'riff-48khz-16bit-mono-pcm',
]);

/** How the fake renders one output format: which sample audio, at which rate, under which Content-Type. */
export interface Rendering {
  readonly format: ResponseFormat;
  readonly sampleRate: number;
  readonly contentType: string;
}

/**
 * The formats the fake can make with ffmpeg: headerless pcm, RIFF pcm, mp3 and Ogg Opus.
 * The others (a-law, mu-law, SILK, AMR, WebM, raw Opus frames) are valid requests the fake
 * does not render; it says so with a 501 rather than sending the wrong bytes.
 */
export function renderingOf(outputFormat: string): Rendering | undefined {
  const rate = /-(\d+)(khz|hz)-/.exec(`${outputFormat}-`);
  if (rate === null) return undefined;
  const sampleRate = Number(rate[1]) * (rate[2] === 'khz' ? 1000 : 1);
  if (/^raw-.*-16bit-mono-pcm$/.test(outputFormat)) return { format: 'pcm', sampleRate, contentType: 'application/octet-stream' };
  if (/^riff-.*-16bit-mono-pcm$/.test(outputFormat)) return { format: 'wav', sampleRate, contentType: 'audio/x-wav' };
  if (/^audio-.*-mono-mp3$/.test(outputFormat)) return { format: 'mp3', sampleRate, contentType: 'audio/mpeg' };
  if (/^ogg-.*-mono-opus$/.test(outputFormat)) return { format: 'opus', sampleRate, contentType: 'audio/ogg' };
  return undefined;
}
