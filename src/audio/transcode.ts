import { OPENAI_PCM_SAMPLE_RATE, satisfies, type AudioEncoding, type ResponseFormat } from './formats.js';
import { streamProcess } from './process-stream.js';
import { prependHeader, wavHeader } from './wav.js';

/** How ffmpeg reads each encoding a provider may hand us. */
function inputArguments(encoding: AudioEncoding): string[] {
  switch (encoding.format) {
    case 'pcm':
      if (encoding.sampleRate === undefined) throw new Error('pcm audio needs an explicit sample rate');
      // Raw samples need no probing: starting at once keeps the first byte early.
      return ['-probesize', '32', '-analyzeduration', '0', '-f', 's16le', '-ar', String(encoding.sampleRate), '-ac', String(encoding.channels ?? 1)];
    case 'mp3':
      return ['-f', 'mp3'];
    case 'opus':
      return ['-f', 'ogg'];
    case 'aac':
      return ['-f', 'aac'];
    case 'flac':
      return ['-f', 'flac'];
    case 'wav':
      return ['-f', 'wav'];
  }
}

/** Every output is mono at OpenAI's 24 kHz, so a format sounds the same whoever made it. */
function outputArguments(format: ResponseFormat): string[] {
  const common = ['-ac', '1', '-ar', String(OPENAI_PCM_SAMPLE_RATE)];
  switch (format) {
    case 'mp3':
      return [...common, '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'];
    case 'opus':
      return [...common, '-c:a', 'libopus', '-b:a', '32k', '-page_duration', '100000', '-f', 'ogg'];
    case 'aac':
      return [...common, '-c:a', 'aac', '-b:a', '64k', '-f', 'adts'];
    case 'flac':
      return [...common, '-c:a', 'flac', '-f', 'flac'];
    case 'wav':
      return [...common, '-c:a', 'pcm_s16le', '-f', 'wav'];
    case 'pcm':
      return [...common, '-c:a', 'pcm_s16le', '-f', 's16le'];
  }
}

export interface Transcoder {
  /** Returns `audio` in `target`, untouched when it already is, streamed either way. */
  convert(audio: AsyncIterable<Uint8Array>, encoding: AudioEncoding, target: ResponseFormat, signal: AbortSignal): AsyncIterable<Uint8Array>;
}

export function createFfmpegTranscoder(ffmpegPath: string): Transcoder {
  return {
    convert(audio, encoding, target, signal) {
      if (satisfies(encoding, target)) return audio;
      // 24 kHz mono pcm only needs a header to be WAV.
      if (target === 'wav' && satisfies(encoding, 'pcm')) {
        return prependHeader(wavHeader(OPENAI_PCM_SAMPLE_RATE, 1), audio);
      }
      return streamProcess({
        command: ffmpegPath,
        args: ['-hide_banner', '-loglevel', 'error', ...inputArguments(encoding), '-i', 'pipe:0', ...outputArguments(target), '-flush_packets', '1', 'pipe:1'],
        input: audio,
        signal,
      });
    },
  };
}
