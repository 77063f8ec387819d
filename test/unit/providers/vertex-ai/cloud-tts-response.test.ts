import { describe, expect, it } from 'vitest';
import { wavHeader } from '../../../../src/audio/wav.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import { readCloudTtsAudio } from '../../../../src/providers/vertex-ai/cloud-tts-response.js';
import { collect } from '../google/test-support.js';

const samples = Buffer.from([1, 0, 2, 0, 3, 0, 4, 0]);
const answer = (bytes: Uint8Array) => ({ audioContent: Buffer.from(bytes).toString('base64') });

describe('readCloudTtsAudio', () => {
  it('reads LINEAR16 through its WAV header: the header states the rate, the samples follow', async () => {
    const wav = Buffer.concat([wavHeader(16_000, 1, samples.length), samples]);
    const { audio, encoding } = await readCloudTtsAudio(answer(wav), 'LINEAR16', 'vertex_ai');
    expect(encoding).toEqual({ format: 'pcm', sampleRate: 16_000, channels: 1 });
    expect((await collect(audio)).equals(samples)).toBe(true);
  });

  it('takes PCM as headerless samples at the requested 24 kHz', async () => {
    const { audio, encoding } = await readCloudTtsAudio(answer(samples), 'PCM', 'vertex_ai');
    expect(encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect((await collect(audio)).equals(samples)).toBe(true);
  });

  it.each([
    ['MP3', 'mp3'],
    ['OGG_OPUS', 'opus'],
  ] as const)('labels %s as %s', async (encoding, format) => {
    expect((await readCloudTtsAudio(answer(samples), encoding, 'vertex_ai')).encoding.format).toBe(format);
  });

  it('reads LINEAR16 without a WAV header as an upstream fault', async () => {
    await expect(readCloudTtsAudio(answer(samples), 'LINEAR16', 'vertex_ai')).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('reads an answer without audioContent as an upstream fault', async () => {
    const error = await readCloudTtsAudio({ audioContent: '' }, 'MP3', 'vertex_ai').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'unavailable' });
  });
});
