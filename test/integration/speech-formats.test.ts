import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAudio, decodedDuration } from '../helpers/audio.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

const SENTENCE = 'The quick brown fox jumps over the lazy dog, and then it rests in the warm afternoon sun.';

let running: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  running = await startGateway({ masterKey: 'sk-master-test' });
  client = new OpenAI({ apiKey: 'sk-master-test', baseURL: `${running.baseUrl}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await running.close();
});

async function speak(body: Partial<OpenAI.Audio.SpeechCreateParams> = {}): Promise<{ bytes: Buffer; headers: Headers }> {
  const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: SENTENCE, ...body });
  return { bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

describe('POST /v1/audio/speech through the openai SDK, on the local engine', () => {
  const expectations = [
    { format: 'mp3', contentType: 'audio/mpeg', codec: 'mp3', container: 'mp3' },
    { format: 'opus', contentType: 'audio/ogg', codec: 'opus', container: 'ogg' },
    { format: 'aac', contentType: 'audio/aac', codec: 'aac', container: 'aac' },
    { format: 'flac', contentType: 'audio/flac', codec: 'flac', container: 'flac' },
    { format: 'wav', contentType: 'audio/wav', codec: 'pcm_s16le', container: 'wav' },
  ] as const;

  it.each(expectations)('returns decodable $format with the right codec and a plausible duration', async ({ format, contentType, codec, container }) => {
    const { bytes, headers } = await speak({ response_format: format });
    expect(headers.get('content-type')).toBe(contentType);
    const probed = await probeAudio(bytes);
    expect(probed.codec).toBe(codec);
    expect(probed.formatName).toContain(container);
    expect(probed.channels).toBe(1);
    // About 17 words at espeak's 175 words a minute: 4 to 8 seconds.
    expect(probed.duration).toBeGreaterThan(3);
    expect(probed.duration).toBeLessThan(9);
  });

  it('returns pcm as raw 24 kHz 16-bit mono whose length matches the mp3 duration', async () => {
    const pcm = await speak({ response_format: 'pcm' });
    expect(pcm.headers.get('content-type')).toBe('audio/pcm');
    // No RIFF header: the first bytes are samples.
    expect(pcm.bytes.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    expect(pcm.bytes.length % 2).toBe(0);
    const pcmSeconds = pcm.bytes.length / 2 / 24_000;
    const wav = await speak({ response_format: 'wav' });
    const wavSeconds = await decodedDuration(wav.bytes);
    expect(Math.abs(pcmSeconds - wavSeconds)).toBeLessThan(0.05);
    expect(pcmSeconds).toBeGreaterThan(3);
    const probed = await probeAudio(pcm.bytes, 'pcm');
    expect(probed.duration).toBeCloseTo(pcmSeconds, 2);
  });

  it('says which deployment and provider served the request, with a request id', async () => {
    const { headers } = await speak();
    expect(headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(headers.get('x-tts-deployment')).toBe('local-tts-1');
    expect(headers.get('x-tts-provider')).toBe('espeak');
    expect(headers.get('x-tts-attempts')).toBe('1');
    expect(headers.get('x-tts-cost-usd')).toBe('0');
  });

  it('keeps a caller-supplied request id', async () => {
    const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-master-test', 'content-type': 'application/json', 'x-request-id': 'trace-123' },
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hi' }),
    });
    await response.arrayBuffer();
    expect(response.headers.get('x-request-id')).toBe('trace-123');
  });

  it('makes speech slower and faster with speed', async () => {
    const normal = await decodedDuration((await speak({ response_format: 'wav' })).bytes);
    const fast = await decodedDuration((await speak({ response_format: 'wav', speed: 2 })).bytes);
    const slow = await decodedDuration((await speak({ response_format: 'wav', speed: 0.5 })).bytes);
    expect(fast).toBeLessThan(normal * 0.7);
    expect(slow).toBeGreaterThan(normal * 1.4);
  });

  it('warns instead of failing when speed is beyond what the engine can do', async () => {
    const { headers } = await speak({ speed: 4 });
    expect(headers.get('x-tts-warnings')).toMatch(/^speed 4 applied as 2\.57/);
  });

  it('gives two OpenAI voices two different voices', async () => {
    const alloy = await speak({ voice: 'alloy', response_format: 'pcm' });
    const onyx = await speak({ voice: 'onyx', response_format: 'pcm' });
    expect(alloy.bytes.equals(onyx.bytes)).toBe(false);
    // Not just a few samples apart: the voices differ in pitch, so the signals differ throughout.
    const length = Math.min(alloy.bytes.length, onyx.bytes.length);
    let differing = 0;
    for (let offset = 0; offset < length; offset += 2) {
      if (Math.abs(alloy.bytes.readInt16LE(offset) - onyx.bytes.readInt16LE(offset)) > 256) differing += 1;
    }
    expect(differing / (length / 2)).toBeGreaterThan(0.3);
  });

  it('maps every OpenAI voice name to a distinct espeak voice', async () => {
    const { OPENAI_VOICE_VARIANTS } = await import('../../src/providers/espeak/espeak-voices.js');
    const variants = Object.values(OPENAI_VOICE_VARIANTS);
    expect(new Set(variants).size).toBe(variants.length);
    for (const voice of ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse']) {
      expect(OPENAI_VOICE_VARIANTS).toHaveProperty(voice);
    }
  });

  it('passes a native espeak voice through', async () => {
    const german = await speak({ voice: 'de+m2', input: 'Guten Tag, wie geht es Ihnen?', response_format: 'pcm' });
    const english = await speak({ voice: 'en-us+m2', input: 'Guten Tag, wie geht es Ihnen?', response_format: 'pcm' });
    expect(german.bytes.length).toBeGreaterThan(24_000);
    expect(german.bytes.equals(english.bytes)).toBe(false);
  });

  it('accepts the voice as an object with an id', async () => {
    const { bytes } = await speak({ voice: { id: 'nova' } as unknown as 'nova', response_format: 'wav' });
    expect((await probeAudio(bytes)).duration).toBeGreaterThan(3);
  });

  it('streams SSE events whose audio decodes', async () => {
    const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: SENTENCE, response_format: 'mp3', stream_format: 'sse' });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice('data: '.length)) as { type: string; audio?: string; usage?: Record<string, number> });
    const deltas = events.filter((event) => event.type === 'speech.audio.delta');
    expect(deltas.length).toBeGreaterThan(0);
    const last = events.at(-1);
    expect(last?.type).toBe('speech.audio.done');
    expect(last?.usage?.['input_tokens']).toBeGreaterThan(0);
    const audio = Buffer.concat(deltas.map((event) => Buffer.from(event.audio ?? '', 'base64')));
    const probed = await probeAudio(audio);
    expect(probed.codec).toBe('mp3');
    expect(probed.duration).toBeGreaterThan(3);
  });

  it('answers on the /audio/speech alias too', async () => {
    const response = await fetch(`${running.baseUrl}/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-master-test' },
      body: JSON.stringify({ model: 'tts-1-hd', voice: 'echo', input: 'Alias route.', response_format: 'flac' }),
    });
    expect(response.status).toBe(200);
    expect((await probeAudio(Buffer.from(await response.arrayBuffer()))).codec).toBe('flac');
  });
});
