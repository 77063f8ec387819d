import { OPENAI_PCM_SAMPLE_RATE, type AudioEncoding, type ResponseFormat } from '../../audio/formats.js';

/** One `output_format` query value and what its bytes are. */
export interface ElevenLabsOutputFormat {
  readonly outputFormat: string;
  readonly encoding: AudioEncoding;
}

const PCM_24K: ElevenLabsOutputFormat = { outputFormat: 'pcm_24000', encoding: { format: 'pcm', sampleRate: OPENAI_PCM_SAMPLE_RATE, channels: 1 } };

/**
 * What to ask ElevenLabs for, per requested format:
 * - mp3 → `mp3_44100_128`: the API's default and LiteLLM's choice, on every plan; passed to
 *   the client untouched (`mp3_24000_48` would match OpenAI's rate but halves the bitrate).
 * - opus → `opus_48000_64`: Ogg Opus at Opus' native 48 kHz, a voice-note bitrate.
 * - pcm → `pcm_24000`: OpenAI's exact pcm on every plan (LiteLLM asks for `pcm_44100`, which
 *   needs the Pro plan and still has to be resampled).
 * - wav, aac, flac → `pcm_24000` too: lossless input the gateway wraps (wav) or transcodes;
 *   ElevenLabs makes no aac or flac, and its `wav_*` would only duplicate the wrapping.
 * https://elevenlabs.io/docs/api-reference/text-to-speech/stream#request.query.output_format
 */
const OUTPUT_FORMATS: Record<ResponseFormat, ElevenLabsOutputFormat> = {
  mp3: { outputFormat: 'mp3_44100_128', encoding: { format: 'mp3', sampleRate: 44_100, channels: 1 } },
  opus: { outputFormat: 'opus_48000_64', encoding: { format: 'opus', sampleRate: 48_000, channels: 1 } },
  pcm: PCM_24K,
  wav: PCM_24K,
  aac: PCM_24K,
  flac: PCM_24K,
};

export function elevenLabsOutputFormat(format: ResponseFormat): ElevenLabsOutputFormat {
  return OUTPUT_FORMATS[format];
}
