import { createReadStream } from 'node:fs';
import { OPENAI_PCM_SAMPLE_RATE, type ResponseFormat } from './formats.js';
import type { Transcoder } from './transcode.js';
import { readWavStream } from './wav.js';

/**
 * Stitching audio: every part is brought to OpenAI's pcm (24 kHz s16le mono), the samples
 * are joined end to end (for raw pcm of one layout that is exactly what ffmpeg's concat
 * demuxer does), and the whole is encoded once, so the result is one clean file with one
 * header and no gaps between encoder frames.
 */
export async function* concatenatePcmFiles(paths: readonly string[]): AsyncGenerator<Uint8Array> {
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) yield chunk as Uint8Array;
  }
}

/** One stored part, decoded to OpenAI pcm. */
export async function* decodeToPcm(
  audio: AsyncIterable<Uint8Array>,
  format: ResponseFormat,
  transcoder: Transcoder,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  if (format === 'pcm') {
    yield* audio;
    return;
  }
  if (format === 'wav') {
    // Our WAVs are 24 kHz mono pcm behind a header: dropping the header is the whole decode.
    const wav = await readWavStream(audio);
    yield* transcoder.convert(wav.audio, wav.encoding, 'pcm', signal);
    return;
  }
  yield* transcoder.convert(audio, { format }, 'pcm', signal);
}

/** Parts in order, each decoded to pcm, then encoded once into `target`. */
export function concatenateAudio(
  parts: AsyncIterable<AsyncIterable<Uint8Array>>,
  target: ResponseFormat,
  transcoder: Transcoder,
  signal: AbortSignal,
): AsyncIterable<Uint8Array> {
  async function* joined(): AsyncGenerator<Uint8Array> {
    for await (const part of parts) yield* part;
  }
  return transcoder.convert(joined(), { format: 'pcm', sampleRate: OPENAI_PCM_SAMPLE_RATE, channels: 1 }, target, signal);
}

/** Seconds of audio in OpenAI pcm bytes (2 bytes a sample, one channel). */
export function pcmDurationSeconds(bytes: number): number {
  return Math.round((bytes / 2 / OPENAI_PCM_SAMPLE_RATE) * 1000) / 1000;
}
