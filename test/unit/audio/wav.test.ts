import { describe, expect, it } from 'vitest';
import { InvalidWavError, readWavStream, wavHeader } from '../../../src/audio/wav.js';

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe('WAV', () => {
  const samples = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 256));

  it('reads the encoding and returns exactly the samples, whatever the chunking', async () => {
    const file = Buffer.concat([wavHeader(22_050, 1, samples.length), samples]);
    for (const size of [1, 3, 44, 45, 4096]) {
      const { encoding, audio } = await readWavStream(chunks(file, size));
      expect(encoding).toEqual({ format: 'pcm', sampleRate: 22_050, channels: 1 });
      expect((await collect(audio)).equals(samples)).toBe(true);
    }
  });

  it('skips chunks before the data (LIST, fact) and pads odd chunk sizes', async () => {
    const header = Buffer.from(wavHeader(24_000, 2, samples.length));
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const file = Buffer.concat([header.subarray(0, 36), list, header.subarray(36), samples]);
    const { encoding, audio } = await readWavStream(chunks(file, 7));
    expect(encoding.channels).toBe(2);
    expect((await collect(audio)).equals(samples)).toBe(true);
  });

  it('writes a streaming header with unknown sizes', () => {
    const header = Buffer.from(wavHeader(24_000, 1));
    expect(header.toString('ascii', 0, 4)).toBe('RIFF');
    expect(header.readUInt32LE(40)).toBe(0xffffffff);
    expect(header.readUInt32LE(24)).toBe(24_000);
    expect(header.readUInt32LE(28)).toBe(48_000);
  });

  it('rejects what is not 16-bit PCM WAV', async () => {
    await expect(readWavStream(chunks(Buffer.from('ID3 this is an mp3 file, really'), 8))).rejects.toBeInstanceOf(InvalidWavError);
    const float = Buffer.from(wavHeader(24_000, 1, 8));
    float.writeUInt16LE(3, 20);
    await expect(readWavStream(chunks(Buffer.concat([float, Buffer.alloc(8)]), 64))).rejects.toThrow(/unsupported WAV encoding/);
    await expect(readWavStream(chunks(Buffer.from(wavHeader(24_000, 1)).subarray(0, 30), 64))).rejects.toBeInstanceOf(InvalidWavError);
  });
});
