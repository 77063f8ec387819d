import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createElevenLabsProvider } from '../../../../src/providers/elevenlabs/elevenlabs-provider.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechProvider, SpeechRequest } from '../../../../src/providers/spec/types.js';
import { startElevenLabsFake } from '../../../fakes/elevenlabs/server.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { collectChunks as collect, rejectionOf as rejection, testDispatcher } from '../../../helpers/provider-dependencies.js';

let fake: FakeServer;
let adapter: SpeechProvider;

beforeAll(async () => {
  fake = await startElevenLabsFake({ behaviour: { chunkBytes: 4000 } });
  adapter = createElevenLabsProvider({ dispatcher: testDispatcher, settings: { apiKey: 'sk_test', apiBase: fake.baseUrl, model: 'eleven_multilingual_v2' } });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const speech = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
  input: 'Hello.',
  voice: 'alloy',
  format: 'pcm',
  speed: 1,
  signal: new AbortController().signal,
  ...overrides,
});

describe('ElevenLabs adapter against the fake', () => {
  it('streams pcm_24000 in chunks and keeps the request id', async () => {
    const result = await adapter.synthesize(speech());
    const chunks = await collect(result.audio);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(48_000);
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect(result.upstreamRequestId).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.lastRequest().headers['transfer-encoding']).toBeUndefined();
  });

  it('clamps a speed the API would refuse, so the call succeeds with a warning', async () => {
    const result = await adapter.synthesize(speech({ speed: 2 }));
    await collect(result.audio);
    expect(result.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested: 2, applied: 1.2 }]);
  });

  it('reads a 429 with Retry-After as rate_limited', async () => {
    fake.inject({ kind: 'rate_limited', retryAfterSeconds: 4 });
    const error = await rejection(adapter.synthesize(speech()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 4000, message: expect.stringContaining('too_many_concurrent_requests') });
  });

  it('reads a 401 quota_exceeded as a non-retryable spent quota', async () => {
    fake.inject({ kind: 'quota_exceeded' });
    expect(await rejection(adapter.synthesize(speech()))).toMatchObject({ kind: 'quota_exceeded', status: 401, retryable: false });
  });

  it('reports an input over the model limit the way the API does', async () => {
    const error = await rejection(adapter.synthesize(speech({ input: 'a'.repeat(10_001) })));
    expect(error).toMatchObject({ kind: 'invalid_request', status: 400, message: expect.stringContaining('max_character_limit_exceeded') });
  });

  it('reports an unknown voice id as an invalid request', async () => {
    expect(await rejection(adapter.synthesize(speech({ voice: 'no-such-voice' })))).toMatchObject({
      kind: 'invalid_request',
      status: 404,
      message: expect.stringContaining('voice_not_found'),
    });
  });

  it('turns a connection dropped mid-audio into an unavailable ProviderError', async () => {
    fake.inject({ kind: 'drop_mid_stream' });
    const result = await adapter.synthesize(speech());
    expect(await rejection(collect(result.audio))).toMatchObject({ name: 'ProviderError', kind: 'unavailable' });
  });

  it('closes the upstream call when the caller cancels', async () => {
    fake.inject({ kind: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await rejection(adapter.synthesize(speech({ signal: controller.signal })))).not.toBeInstanceOf(ProviderError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.lastRequest().aborted).toBe(true);
  });
});
