import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAzureSpeechProvider } from '../../../../src/providers/azure-speech/azure-speech-provider.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechProvider, SpeechRequest } from '../../../../src/providers/spec/types.js';
import { startAzureSpeechFake } from '../../../fakes/azure-speech/server.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { collectChunks as collect, rejectionOf as rejection, testDispatcher } from '../../../helpers/provider-dependencies.js';

let fake: FakeServer;
let adapter: SpeechProvider;

beforeAll(async () => {
  fake = await startAzureSpeechFake({ behaviour: { chunkBytes: 4000 } });
  adapter = createAzureSpeechProvider({
    dispatcher: testDispatcher,
    settings: { apiBase: fake.baseUrl, credential: { kind: 'key', key: 'k' }, style: {}, userAgent: 'tts-gateway' },
  });
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

describe('Azure AI Speech adapter against the fake', () => {
  it('streams raw 24 kHz pcm as it arrives and keeps the request id', async () => {
    const result = await adapter.synthesize(speech());
    const chunks = await collect(result.audio);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(48_000);
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect(result.upstreamRequestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reads a 429 as rate_limited with the Retry-After hint and the request id', async () => {
    fake.inject({ kind: 'rate_limited', retryAfterSeconds: 7 });
    const error = await rejection(adapter.synthesize(speech()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 7000,
      retryable: true,
      upstreamRequestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('turns a connection dropped mid-audio into an unavailable ProviderError', async () => {
    fake.inject({ kind: 'drop_mid_stream' });
    const result = await adapter.synthesize(speech());
    const error = await rejection(collect(result.audio));
    expect(error).toMatchObject({ name: 'ProviderError', kind: 'unavailable' });
  });

  it('reports a deadline abort as a timeout', async () => {
    fake.inject({ kind: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('no audio within 0.1 s', 'TimeoutError')), 100);
    const error = await rejection(adapter.synthesize(speech({ signal: controller.signal })));
    expect(error).toMatchObject({ name: 'ProviderError', kind: 'timeout' });
  });

  it("lets the caller's own cancellation through unchanged and closes the upstream call", async () => {
    fake.inject({ kind: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(adapter.synthesize(speech({ signal: controller.signal })));
    expect(error).not.toBeInstanceOf(ProviderError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.lastRequest().aborted).toBe(true);
  });

  it('authenticates with a Bearer token when configured so', async () => {
    const withToken = createAzureSpeechProvider({
      dispatcher: testDispatcher,
      settings: { apiBase: fake.baseUrl, credential: { kind: 'token', token: 'eyJ0eXAi' }, style: {}, userAgent: 'tts-gateway' },
    });
    await collect((await withToken.synthesize(speech())).audio);
    expect(fake.lastRequest().headers['authorization']).toBe('Bearer eyJ0eXAi');
    expect(fake.lastRequest().headers['ocp-apim-subscription-key']).toBeUndefined();
  });
});
