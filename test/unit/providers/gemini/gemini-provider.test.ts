import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { geminiFactory } from '../../../../src/providers/gemini/index.js';
import type { SpeechProvider, SpeechRequest } from '../../../../src/providers/spec/types.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { GEMINI_FAKE_API_KEY, startGeminiFake } from '../../../fakes/google/server.js';
import { sampleAudio } from '../../../fakes/sample-audio.js';
import { collect, dependenciesWith, rejection } from '../google/test-support.js';

const dependencies = dependenciesWith();
let fake: FakeServer;

beforeAll(async () => {
  fake = await startGeminiFake();
});
afterEach(() => fake.reset());
afterAll(async () => fake.close());

const provider = (apiKey = GEMINI_FAKE_API_KEY, model = 'gemini-2.5-flash-preview-tts'): SpeechProvider =>
  geminiFactory.create({ model, params: { model: `gemini/${model}`, api_key: apiKey, api_base: fake.baseUrl }, dependencies });
const request = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
  input: 'Hello.',
  voice: 'alloy',
  format: 'wav',
  speed: 1,
  signal: new AbortController().signal,
  ...overrides,
});

describe('Gemini adapter against the fake', () => {
  it('returns the decoded pcm with the rate from the mimeType, and the responseId', async () => {
    const result = await provider().synthesize(request());
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect((await collect(result.audio)).equals(sampleAudio('pcm', { sampleRate: 24_000 }))).toBe(true);
    expect(result.upstreamRequestId).toEqual(expect.any(String));
    expect(result.warnings).toEqual([]);
  });

  it('returns the speed warning with the audio', async () => {
    const result = await provider().synthesize(request({ speed: 0.5 }));
    await collect(result.audio);
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'speed' })]);
  });

  it('reads a wrong key (400 API_KEY_INVALID) as auth, not as a bad request', async () => {
    const error = await rejection(provider('AIza-wrong').synthesize(request()));
    expect(error).toMatchObject({ kind: 'auth', status: 400, retryable: false });
  });

  it('reads an unknown voice (400 INVALID_ARGUMENT) as invalid_request', async () => {
    const error = await rejection(provider().synthesize(request({ voice: 'not-a-voice' })));
    expect(error).toMatchObject({ kind: 'invalid_request', status: 400 });
    expect(error.message).toContain('not-a-voice');
  });

  it('reads a model that cannot speak as invalid_request', async () => {
    const error = await rejection(provider(GEMINI_FAKE_API_KEY, 'gemini-2.5-flash').synthesize(request()));
    expect(error.kind).toBe('invalid_request');
  });

  it('carries the RetryInfo delay on a rate limit', async () => {
    fake.inject({ kind: 'rate_limited', retryAfterSeconds: 12 });
    expect(await rejection(provider().synthesize(request()))).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 12_000, retryable: true });
  });

  it('reads a blocked prompt in a 200 as content_rejected', async () => {
    fake.inject({ kind: 'content_rejected' });
    expect(await rejection(provider().synthesize(request()))).toMatchObject({ kind: 'content_rejected', retryable: false });
  });

  it('gives up with a timeout ProviderError when the deadline aborts the call', async () => {
    fake.inject({ kind: 'slow', delayMs: 2000 });
    const signal = AbortSignal.timeout(100);
    expect(await rejection(provider().synthesize(request({ signal })))).toMatchObject({ kind: 'timeout' });
  });

  it("rethrows the caller's own cancellation as is", async () => {
    fake.inject({ kind: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    const pending = provider().synthesize(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('client left')), 50);
    await expect(pending).rejects.toThrow('client left');
  });

  it('requires api_key in litellm_params', () => {
    expect(() =>
      geminiFactory.create({ model: 'gemini-2.5-flash-preview-tts', params: { model: 'gemini/gemini-2.5-flash-preview-tts' }, dependencies }),
    ).toThrow(/api_key/);
  });
});
