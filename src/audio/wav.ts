import type { AudioEncoding } from './formats.js';

/**
 * RIFF/WAVE helpers. Providers (and the local engine) that answer with WAV are turned into
 * raw pcm with an explicit sample rate, and raw pcm is wrapped as WAV without ffmpeg when
 * no resampling is needed.
 */

/** The size fields of a WAV whose length is not known when the header is written (a stream). */
const UNKNOWN_SIZE = 0xffffffff;

export function wavHeader(sampleRate: number, channels: number, dataBytes?: number): Uint8Array {
  const header = Buffer.alloc(44);
  const bytesPerSample = 2;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(dataBytes === undefined ? UNKNOWN_SIZE : 36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  header.writeUInt16LE(channels * bytesPerSample, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes === undefined ? UNKNOWN_SIZE : dataBytes, 40);
  return header;
}

export async function* prependHeader(header: Uint8Array, audio: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield header;
  yield* audio;
}

export class InvalidWavError extends Error {
  override readonly name = 'InvalidWavError';
}

/**
 * Reads a WAV stream's header and returns the pcm samples that follow as a stream, with
 * their encoding. Only 16-bit integer PCM is accepted: it is what every provider sends.
 */
export async function readWavStream(
  source: AsyncIterable<Uint8Array>,
): Promise<{ readonly encoding: AudioEncoding; readonly audio: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  let buffered = Buffer.alloc(0);
  const fill = async (bytes: number): Promise<boolean> => {
    while (buffered.length < bytes) {
      const next = await iterator.next();
      if (next.done) return false;
      buffered = Buffer.concat([buffered, next.value]);
    }
    return true;
  };

  if (!(await fill(12)) || buffered.toString('ascii', 0, 4) !== 'RIFF' || buffered.toString('ascii', 8, 12) !== 'WAVE') {
    await iterator.return?.();
    throw new InvalidWavError('audio is not a RIFF/WAVE stream');
  }
  let offset = 12;
  let sampleRate: number | undefined;
  let channels: number | undefined;
  for (;;) {
    if (!(await fill(offset + 8))) {
      await iterator.return?.();
      throw new InvalidWavError('WAV stream ended before its data chunk');
    }
    const chunkId = buffered.toString('ascii', offset, offset + 4);
    const chunkSize = buffered.readUInt32LE(offset + 4);
    if (chunkId === 'data') {
      offset += 8;
      break;
    }
    if (!(await fill(offset + 8 + chunkSize))) {
      await iterator.return?.();
      throw new InvalidWavError(`WAV stream ended inside its ${chunkId} chunk`);
    }
    if (chunkId === 'fmt ') {
      const audioFormat = buffered.readUInt16LE(offset + 8);
      channels = buffered.readUInt16LE(offset + 10);
      sampleRate = buffered.readUInt32LE(offset + 12);
      const bitsPerSample = buffered.readUInt16LE(offset + 22);
      if (audioFormat !== 1 || bitsPerSample !== 16) {
        await iterator.return?.();
        throw new InvalidWavError(`unsupported WAV encoding (format ${audioFormat}, ${bitsPerSample} bits)`);
      }
    }
    offset += 8 + chunkSize + (chunkSize % 2);
  }
  if (sampleRate === undefined || channels === undefined) {
    await iterator.return?.();
    throw new InvalidWavError('WAV stream has no fmt chunk before its data');
  }
  const rest = buffered.subarray(offset);
  async function* samples(): AsyncGenerator<Uint8Array> {
    try {
      if (rest.length > 0) yield rest;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { encoding: { format: 'pcm', sampleRate, channels }, audio: samples() };
}
