import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiFactory } from '../../../../src/providers/openai/index.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../../../fakes/openai/server.js';
import { sampleAudio } from '../../../fakes/sample-audio.js';
import { dependenciesWith, speechRequest } from './test-dependencies.js';

/** The fake must refuse what api.openai.com refuses, or a wrong adapter would pass the contract suite. */
describe('the OpenAI fake', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startOpenAIFake();
  });
  afterAll(() => fake.close());

  const BEARER = { authorization: `Bearer ${FAKE_OPENAI_API_KEY}` };
  const post = async (body: unknown, headers: Record<string, string> = {}, auth: Record<string, string> = BEARER) => {
    const response = await fetch(`${fake.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      headers: response.headers,
      bytes: text,
      error:
        response.headers.get('content-type') === 'application/json'
          ? (JSON.parse(text.toString('utf8')) as { error: { param: string | null; code: string | null; type: string } }).error
          : undefined,
    };
  };
  const valid = { model: 'gpt-4o-mini-tts', input: 'Hello.', voice: 'alloy' };

  it('answers the asked format with its content type, chunked', async () => {
    const answer = await post({ ...valid, response_format: 'flac' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('audio/flac');
    expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    expect(answer.headers.get('x-request-id')).toMatch(/^req_/);
    expect(answer.bytes).toEqual(sampleAudio('flac'));
  });

  it('accepts a custom voice object', async () => {
    expect((await post({ ...valid, voice: { id: 'voice_123' } })).status).toBe(200);
  });

  it.each([
    ['no key', {}, null],
    ['a wrong key', { authorization: 'Bearer sk-wrong' }, 'invalid_api_key'],
    ['the key in an api-key header (Azure style)', { 'api-key': FAKE_OPENAI_API_KEY }, null],
    ['the key without Bearer', { authorization: FAKE_OPENAI_API_KEY }, 'invalid_api_key'],
  ])('refuses %s with 401', async (_label, auth, code) => {
    const answer = await post(valid, {}, auth);
    expect(answer.status).toBe(401);
    expect(answer.error?.code).toBe(code);
  });

  it('refuses a body that is not JSON', async () => {
    expect((await post('model=tts-1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
  });

  it.each([
    ['input over 4096 characters', { input: 'a'.repeat(4097) }, 'input'],
    ['a missing input', { input: undefined }, 'input'],
    ['an unknown voice', { voice: 'Brian' }, 'voice'],
    ['an unknown format', { response_format: 'ogg' }, 'response_format'],
    ['speed above 4', { speed: 4.5 }, 'speed'],
    ['speed below 0.25', { speed: 0.2 }, 'speed'],
    ['instructions for tts-1', { model: 'tts-1', instructions: 'Whisper.' }, 'instructions'],
    ['sse for tts-1-hd', { model: 'tts-1-hd', stream_format: 'sse' }, 'stream_format'],
    ['an unknown field', { stream: true }, null],
  ])('refuses %s with a 400 naming the parameter', async (_label, change, param) => {
    const answer = await post({ ...valid, ...change });
    expect(answer.status).toBe(400);
    expect(answer.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    expect((await post({ ...valid, model: 'tts-2' })).error?.code).toBe('model_not_found');
  });

  it('streams sse events of base64 audio and a usage summary', async () => {
    const answer = await post({ ...valid, stream_format: 'sse', response_format: 'pcm' });
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    const events = answer.bytes
      .toString('utf8')
      .split('\n\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line.replace(/^data: /, '')) as { type: string; audio?: string });
    expect(events.at(-1)?.type).toBe('speech.audio.done');
    const audio = Buffer.concat(events.filter((event) => event.type === 'speech.audio.delta').map((event) => Buffer.from(event.audio ?? '', 'base64')));
    expect(audio).toEqual(sampleAudio('pcm'));
  });

  it('sends retry-after, retry-after-ms, x-ratelimit-* and x-should-retry: false on an injected 429', async () => {
    fake.inject({ kind: 'rate_limited', retryAfterSeconds: 4 });
    const answer = await post(valid);
    expect(answer.status).toBe(429);
    expect(
      Object.fromEntries(['retry-after', 'retry-after-ms', 'x-ratelimit-reset-requests', 'x-should-retry'].map((name) => [name, answer.headers.get(name)])),
    ).toEqual({ 'retry-after': '4', 'retry-after-ms': '4000', 'x-ratelimit-reset-requests': '4s', 'x-should-retry': 'false' });
    expect(answer.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
  });
});

describe('the OpenAI adapter against the fake', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startOpenAIFake();
  });
  afterAll(() => fake.close());
  const provider = (model: string) =>
    openaiFactory.create({
      model,
      params: { model: `openai/${model}`, api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` },
      dependencies: dependenciesWith(),
    });

  it('drops instructions for tts-1 with a warning, so the call succeeds', async () => {
    const result = await provider('tts-1').synthesize(speechRequest({ instructions: 'Whisper.', format: 'wav' }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of result.audio) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(sampleAudio('wav'));
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' })]);
    expect(result.upstreamRequestId).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('sends instructions to gpt-4o-mini-tts', async () => {
    const result = await provider('gpt-4o-mini-tts').synthesize(speechRequest({ instructions: 'Whisper.' }));
    for await (const chunk of result.audio) expect(chunk.length).toBeGreaterThan(0);
    expect(JSON.parse(fake.lastRequest().body.toString('utf8'))).toMatchObject({ instructions: 'Whisper.' });
    expect(result.warnings).toEqual([]);
  });

  it('turns a cut connection mid-audio into an unavailable ProviderError', async () => {
    fake.inject({ kind: 'drop_mid_stream' });
    const result = await provider('tts-1').synthesize(speechRequest());
    const consume = async () => {
      for await (const chunk of result.audio) expect(chunk.length).toBeGreaterThan(0);
    };
    await expect(consume()).rejects.toMatchObject({ name: 'ProviderError', kind: 'unavailable' });
  });

  it('rethrows our own cancellation as is', async () => {
    fake.inject({ kind: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    const pending = provider('tts-1').synthesize(speechRequest({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('client left')), 50);
    const error: unknown = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).not.toBeInstanceOf(ProviderError);
  });
});
