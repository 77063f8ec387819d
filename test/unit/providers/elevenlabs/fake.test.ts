import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startElevenLabsFake } from '../../../fakes/elevenlabs/server.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { probeAudio } from '../../../helpers/audio.js';

/** The fake must refuse what ElevenLabs refuses, or a wrong adapter would pass the contract suite. */
let fake: FakeServer;
beforeAll(async () => {
  fake = await startElevenLabsFake();
});
afterAll(() => fake.close());

const VOICE = '21m00Tcm4TlvDq8ikWAM';
const HEADERS = { 'xi-api-key': 'sk', 'content-type': 'application/json' };
const BODY = { text: 'Hello', model_id: 'eleven_multilingual_v2' };

async function post(
  options: { path?: string; query?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; json: unknown; bytes: Buffer; headers: Headers }> {
  const response = await fetch(`${fake.baseUrl}${options.path ?? `/v1/text-to-speech/${VOICE}/stream`}?${options.query ?? 'output_format=pcm_24000'}`, {
    method: 'POST',
    headers: options.headers ?? HEADERS,
    body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? BODY),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: response.status, json, bytes, headers: response.headers };
}

describe('ElevenLabs fake', () => {
  it('refuses a request without xi-api-key, even with a Bearer token', async () => {
    const answer = await post({ headers: { authorization: 'Bearer sk', 'content-type': 'application/json' } });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ detail: { status: 'needs_authorization', message: expect.any(String) } });
  });

  it.each([
    ['an unknown output_format', { query: 'output_format=pcm' }, ['query', 'output_format']],
    ['a missing text', { body: { model_id: 'eleven_multilingual_v2' } }, ['body', 'text']],
    ['a text that is not a string', { body: { text: ['Hi'], model_id: 'eleven_v3' } }, ['body', 'text']],
    ['a stability above 1', { body: { ...BODY, voice_settings: { stability: 2 } } }, ['body', 'voice_settings', 'stability']],
    ['a speed above 1.2', { body: { ...BODY, voice_settings: { speed: 1.25 } } }, ['body', 'voice_settings', 'speed']],
    ['a speed below 0.7', { body: { ...BODY, voice_settings: { speed: 0.5 } } }, ['body', 'voice_settings', 'speed']],
    ['a form body', { headers: { 'xi-api-key': 'sk', 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=Hello' }, ['body']],
  ])('answers 422 to %s', async (_name, options, loc) => {
    const answer = await post(options);
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ detail: expect.arrayContaining([expect.objectContaining({ loc })]) });
  });

  it("applies each model's character limit", async () => {
    expect((await post({ body: { text: 'a'.repeat(10_001), model_id: 'eleven_multilingual_v2' } })).json).toMatchObject({
      detail: { status: 'max_character_limit_exceeded' },
    });
    expect((await post({ body: { text: 'a'.repeat(10_001), model_id: 'eleven_flash_v2_5' } })).status).toBe(200);
  });

  it('refuses unknown voices and models', async () => {
    expect(await post({ path: '/v1/text-to-speech/alloy/stream' })).toMatchObject({ status: 404, json: { detail: { status: 'voice_not_found' } } });
    expect(await post({ body: { text: 'Hi', model_id: 'tts-1' } })).toMatchObject({ status: 400 });
  });

  it('answers the plain endpoint with a length and the stream endpoint chunked', async () => {
    const plain = await post({ path: `/v1/text-to-speech/${VOICE}` });
    expect(plain.headers.get('content-length')).toBe('48000');
    const streamed = await post();
    expect(streamed.headers.get('transfer-encoding')).toBe('chunked');
    expect(streamed.bytes.length).toBe(48_000);
    expect(streamed.headers.get('request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['mp3_44100_128', 'mp3', 44_100],
    ['mp3_24000_48', 'mp3', 24_000],
    ['opus_48000_64', 'opus', 48_000],
    ['wav_16000', 'pcm_s16le', 16_000],
  ])('answers %s as real %s audio at %i Hz', async (outputFormat, codec, sampleRate) => {
    const answer = await post({ query: `output_format=${outputFormat}` });
    const probed = await probeAudio(answer.bytes);
    expect(probed.codec).toBe(codec);
    expect(probed.sampleRate).toBe(sampleRate);
  });
});
