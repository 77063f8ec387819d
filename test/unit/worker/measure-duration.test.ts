import { describe, expect, it } from 'vitest';
import { RESPONSE_FORMATS } from '../../../src/audio/formats.js';
import { createFfmpegTranscoder } from '../../../src/audio/transcode.js';
import { measureDuration } from '../../../src/worker/measure-duration.js';
import { sampleAudio } from '../../fakes/sample-audio.js';
import { decodedDuration } from '../../helpers/audio.js';
import { childProcessNames, waitFor } from '../../helpers/processes.js';
import { requireExecutable } from '../../helpers/tools.js';

const transcoder = createFfmpegTranscoder(requireExecutable('ffmpeg'));
const PROBE_FORMAT = { mp3: 'mp3', opus: 'ogg', aac: 'aac', flac: 'flac', wav: 'wav', pcm: 'pcm' } as const;

/** The bytes in small chunks, as a provider streams them. */
async function* chunked(bytes: Uint8Array, size = 997): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function drain(audio: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of audio) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('measureDuration', () => {
  it.each(RESPONSE_FORMATS)('measures %s within 0.05 s of its decoded length and passes the bytes through untouched', async (format) => {
    const source = sampleAudio(format, { seconds: 2.37 });
    const measured = measureDuration(chunked(source), format, transcoder, new AbortController().signal);
    const passed = await drain(measured.audio);
    expect(passed.equals(source)).toBe(true);
    const duration = await measured.durationSeconds();
    expect(duration).not.toBeNull();
    expect(Math.abs((duration ?? 0) - (await decodedDuration(source, PROBE_FORMAT[format])))).toBeLessThanOrEqual(0.05);
  });

  it('reads a 48 kHz opus and a 16 kHz mp3 (as providers send them) at their real length too', async () => {
    for (const [format, sampleRate] of [
      ['opus', 48_000],
      ['mp3', 16_000],
    ] as const) {
      const source = sampleAudio(format, { sampleRate, seconds: 1.5 });
      const measured = measureDuration(chunked(source), format, transcoder, new AbortController().signal);
      await drain(measured.audio);
      expect(Math.abs(((await measured.durationSeconds()) ?? 0) - (await decodedDuration(source, PROBE_FORMAT[format])))).toBeLessThanOrEqual(0.05);
    }
  });

  it('loses only the duration, never the bytes, when the decoder cannot read them', async () => {
    const garbage = Buffer.alloc(300_000, 7);
    const measured = measureDuration(chunked(garbage, 4096), 'flac', transcoder, new AbortController().signal);
    const passed = await drain(measured.audio);
    expect(passed.equals(garbage)).toBe(true);
    expect(await measured.durationSeconds()).toBeNull();
  });

  it('stops its decoder when the consumer abandons the audio', async () => {
    const source = sampleAudio('mp3', { seconds: 5 });
    const measured = measureDuration(chunked(source), 'mp3', transcoder, new AbortController().signal);
    const iterator = measured.audio[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    expect(await measured.durationSeconds()).toBeNull();
    expect(await waitFor(() => !childProcessNames().includes('ffmpeg'), 5000)).toBe(true);
  });
});
