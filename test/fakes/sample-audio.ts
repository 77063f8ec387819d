import { spawnSync } from 'node:child_process';
import type { ResponseFormat } from '../../src/audio/formats.js';
import { requireExecutable } from '../helpers/tools.js';

/**
 * Real audio for fakes to answer with: a 440 Hz tone made by ffmpeg, in any format and
 * rate a provider would send. Cached, since fakes answer many requests.
 */
const cache = new Map<string, Buffer>();

export function sampleAudio(format: ResponseFormat, options: { sampleRate?: number; seconds?: number } = {}): Buffer {
  const sampleRate = options.sampleRate ?? 24_000;
  const seconds = options.seconds ?? 1;
  const key = `${format}:${sampleRate}:${seconds}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const output: Record<ResponseFormat, string[]> = {
    mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
    opus: ['-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'],
    aac: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
    flac: ['-c:a', 'flac', '-f', 'flac'],
    wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
    pcm: ['-c:a', 'pcm_s16le', '-f', 's16le'],
  };
  // A file-backed wav written to a pipe has no length in its header; -bitexact keeps bytes stable.
  const result = spawnSync(
    requireExecutable('ffmpeg'),
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=${sampleRate}:duration=${seconds}`,
      '-ac',
      '1',
      '-ar',
      String(sampleRate),
      '-bitexact',
      ...output[format],
      'pipe:1',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`ffmpeg could not make sample ${format}: ${result.stderr.toString()}`);
  cache.set(key, result.stdout);
  return result.stdout;
}
