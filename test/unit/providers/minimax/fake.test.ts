import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { startMiniMaxFake } from '../../../fakes/minimax/server.js';

/** The fake must refuse what MiniMax refuses, or a wrong adapter would pass the contract suite. */
describe('MiniMax fake', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startMiniMaxFake({ behaviour: { chunkBytes: 1024 } });
  });
  afterAll(() => fake.close());

  const valid = {
    model: 'speech-02-turbo',
    text: 'Hello',
    stream: true,
    output_format: 'hex',
    voice_setting: { voice_id: 'female-yujie', speed: 1, vol: 1, pitch: 0 },
    audio_setting: { sample_rate: 24000, bitrate: 128000, format: 'pcm', channel: 1 },
  };
  const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer key', 'content-type': 'application/json' }): Promise<Response> =>
    fetch(`${fake.baseUrl}/v1/t2a_v2`, { method: 'POST', headers, body: JSON.stringify(body) });
  const statusCode = async (response: Response): Promise<number> => ((await response.json()) as { base_resp: { status_code: number } }).base_resp.status_code;

  it('streams hex chunks, then a summary with extra_info repeating the whole audio', async () => {
    const response = await post(valid);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter((text) => text !== '')
      .map((text) => JSON.parse(text.replace(/^data: /, '')) as { data: { audio: string; status: number }; extra_info?: unknown });
    const chunks = events.filter((event) => event.extra_info === undefined);
    const summary = events.at(-1);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((event) => event.data.status === 1)).toBe(true);
    expect(summary?.data.status).toBe(2);
    expect(summary?.extra_info).toMatchObject({ audio_format: 'pcm', audio_sample_rate: 24000 });
    expect(chunks.map((event) => event.data.audio).join('')).toBe(summary?.data.audio);
    expect(Buffer.from(summary?.data.audio ?? '', 'hex').length).toBe(48_000);
  });

  it('refuses a request without a Bearer key at the gateway, with 401', async () => {
    const response = await post(valid, { 'content-type': 'application/json', 'x-api-key': 'key' });
    expect(response.status).toBe(401);
    await response.text();
  });

  it.each([
    [{ ...valid, model: 'speech-03' }, 2013],
    [{ ...valid, text: 'x'.repeat(10_000) }, 2013],
    [{ ...valid, voice_setting: { ...valid.voice_setting, speed: 2.5 } }, 2013],
    [{ ...valid, voice_setting: { ...valid.voice_setting, pitch: 0.5 } }, 2013],
    [{ ...valid, audio_setting: { ...valid.audio_setting, sample_rate: 48000 } }, 2013],
    [{ ...valid, audio_setting: { ...valid.audio_setting, format: 'opus' } }, 2013],
    [{ ...valid, audio_setting: { ...valid.audio_setting, format: 'wav' } }, 2013],
    [{ ...valid, voice_setting: { ...valid.voice_setting, voice_id: 'nobody' } }, 2054],
  ])('answers %j with HTTP 200 and status_code %i', async (body, code) => {
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await statusCode(response)).toBe(code);
  });

  it('answers without streaming as one JSON document', async () => {
    const response = await post({ ...valid, stream: false, audio_setting: { ...valid.audio_setting, format: 'wav' } });
    const body = (await response.json()) as { data: { audio: string; status: number }; base_resp: { status_code: number } };
    expect(body.base_resp.status_code).toBe(0);
    expect(Buffer.from(body.data.audio, 'hex').subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('sends an output moderation failure as the first stream event', async () => {
    fake.inject({ kind: 'content_rejected' });
    const response = await post(valid);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toMatch(/^data: .*"status_code":1027/);
  });
});
