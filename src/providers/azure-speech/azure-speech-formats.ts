import { OPENAI_PCM_SAMPLE_RATE, type AudioEncoding, type ResponseFormat } from '../../audio/formats.js';

/** One `X-Microsoft-OutputFormat` value and what its bytes are. */
export interface AzureOutputFormat {
  readonly header: string;
  readonly encoding: AudioEncoding;
}

const RAW_PCM: AzureOutputFormat = { header: 'raw-24khz-16bit-mono-pcm', encoding: { format: 'pcm', sampleRate: OPENAI_PCM_SAMPLE_RATE, channels: 1 } };

/**
 * What to ask Azure for, per requested format. Only streaming-capable values are used, so
 * audio flows while it is synthesized:
 * - mp3 at 24 kHz / 96 kbit/s: OpenAI's sample rate at a bitrate that keeps speech clean
 *   (LiteLLM asks for 48 kbit/s, audible on sibilants).
 * - opus in Ogg at 24 kHz: an Ogg Opus file as OpenAI sends it.
 * - pcm: headerless 16-bit mono at 24 kHz, exactly OpenAI's pcm.
 * - wav: the same raw pcm; the gateway prepends a header. Azure's `riff-*` values are
 *   documented as non-streaming, which would hold every byte back until the end.
 * - aac and flac: Azure makes neither; raw pcm is lossless input for the transcoder
 *   (LiteLLM sends mp3 bytes labelled as aac/flac instead).
 * https://learn.microsoft.com/azure/ai-services/speech-service/rest-text-to-speech#audio-outputs
 */
const OUTPUT_FORMATS: Record<ResponseFormat, AzureOutputFormat> = {
  mp3: { header: 'audio-24khz-96kbitrate-mono-mp3', encoding: { format: 'mp3', sampleRate: 24_000, channels: 1 } },
  opus: { header: 'ogg-24khz-16bit-mono-opus', encoding: { format: 'opus', sampleRate: 24_000, channels: 1 } },
  pcm: RAW_PCM,
  wav: RAW_PCM,
  aac: RAW_PCM,
  flac: RAW_PCM,
};

export function azureOutputFormat(format: ResponseFormat): AzureOutputFormat {
  return OUTPUT_FORMATS[format];
}
