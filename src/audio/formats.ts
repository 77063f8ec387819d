/**
 * The audio formats of OpenAI's speech API, and what the gateway promises about each.
 * Every response format is produced for every provider: natively when the provider can,
 * otherwise by transcoding.
 */
export const RESPONSE_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/** OpenAI's pcm contract: raw signed 16-bit little-endian mono at 24 kHz. */
export const OPENAI_PCM_SAMPLE_RATE = 24_000;

const CONTENT_TYPES: Record<ResponseFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export function contentTypeOf(format: ResponseFormat): string {
  return CONTENT_TYPES[format];
}

/**
 * What a provider actually produced. Adapters state it explicitly so nothing downstream
 * guesses from bytes. `sampleRate` is required for headerless pcm and informative otherwise.
 */
export interface AudioEncoding {
  readonly format: ResponseFormat;
  readonly sampleRate?: number;
  readonly channels?: number;
}

/** True when audio in `encoding` can be sent as `target` without touching a byte. */
export function satisfies(encoding: AudioEncoding, target: ResponseFormat): boolean {
  if (encoding.format !== target) return false;
  if (target === 'pcm') {
    return encoding.sampleRate === OPENAI_PCM_SAMPLE_RATE && (encoding.channels ?? 1) === 1;
  }
  return true;
}
