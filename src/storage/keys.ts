import type { ResponseFormat } from '../audio/formats.js';

/** File extensions by format: `opus` is Ogg, `aac` is ADTS, `pcm` is raw s16le. */
const EXTENSIONS: Record<ResponseFormat, string> = { mp3: 'mp3', opus: 'ogg', aac: 'aac', flac: 'flac', wav: 'wav', pcm: 'pcm' };

export function itemAudioKey(jobId: string, index: number, format: ResponseFormat): string {
  return `jobs/${jobId}/items/${index}.${EXTENSIONS[format]}`;
}

export function concatenatedAudioKey(jobId: string, format: ResponseFormat): string {
  return `jobs/${jobId}/concatenated.${EXTENSIONS[format]}`;
}

const CONTENT_TYPES: Record<string, string> = { mp3: 'audio/mpeg', ogg: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm' };

/** The content type of a key made above; the filesystem keeps no metadata of its own. */
export function contentTypeOfKey(key: string): string {
  const extension = key.slice(key.lastIndexOf('.') + 1);
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
