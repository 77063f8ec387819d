import { spawnSync } from 'node:child_process';
import { requireExecutable } from '../../helpers/tools.js';
import { sampleAudio } from '../sample-audio.js';

export type PollyAudioFormat = 'mp3' | 'ogg_vorbis' | 'ogg_opus' | 'pcm' | 'mulaw' | 'alaw';

export const POLLY_CONTENT_TYPES: Readonly<Record<PollyAudioFormat, string>> = {
  mp3: 'audio/mpeg',
  ogg_vorbis: 'audio/ogg',
  ogg_opus: 'audio/ogg',
  pcm: 'audio/pcm',
  mulaw: 'audio/mulaw',
  alaw: 'audio/alaw',
};

const cache = new Map<string, Buffer>();

/** A one-second tone in a Polly output format: mp3, Ogg, headerless s16le pcm or raw G.711. */
export function pollyAudio(format: PollyAudioFormat, sampleRate: number): Buffer {
  switch (format) {
    case 'mp3':
      return sampleAudio('mp3', { sampleRate });
    case 'ogg_opus':
      return sampleAudio('opus', { sampleRate });
    case 'pcm':
      return sampleAudio('pcm', { sampleRate });
    case 'ogg_vorbis':
      return encodeTone(['-c:a', 'libvorbis', '-f', 'ogg'], sampleRate);
    case 'mulaw':
      return encodeTone(['-c:a', 'pcm_mulaw', '-f', 'mulaw'], sampleRate);
    case 'alaw':
      return encodeTone(['-c:a', 'pcm_alaw', '-f', 'alaw'], sampleRate);
  }
}

function encodeTone(output: readonly string[], sampleRate: number): Buffer {
  const key = `${output.join(' ')}:${sampleRate}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = spawnSync(
    requireExecutable('ffmpeg'),
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=${sampleRate}:duration=1`,
      '-ac',
      '1',
      '-ar',
      String(sampleRate),
      '-bitexact',
      ...output,
      'pipe:1',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`ffmpeg could not make Polly sample audio: ${result.stderr.toString()}`);
  cache.set(key, result.stdout);
  return result.stdout;
}
