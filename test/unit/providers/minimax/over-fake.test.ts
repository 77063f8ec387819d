import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniMaxFactory } from '../../../../src/providers/minimax/index.js';
import { remoteProviderDependencies } from '../../../helpers/provider-dependencies.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechProvider, SpeechRequest } from '../../../../src/providers/spec/types.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { startMiniMaxFake } from '../../../fakes/minimax/server.js';

/** The adapter against the fake, for what the contract suite does not reach. */
describe('MiniMax adapter over the fake', () => {
  let fake: FakeServer;
  let provider: SpeechProvider;
  beforeAll(async () => {
    fake = await startMiniMaxFake({ behaviour: { chunkBytes: 2048 } });
    provider = miniMaxFactory.create({
      model: 'speech-2.8-hd',
      params: { model: 'minimax/speech-2.8-hd', api_base: fake.baseUrl, api_key: 'key' },
      dependencies: remoteProviderDependencies(),
    });
  });
  afterAll(() => fake.close());

  const speech = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
    input: 'Hello',
    voice: 'alloy',
    format: 'pcm',
    speed: 1,
    signal: new AbortController().signal,
    ...overrides,
  });

  it('yields the audio exactly once (the summary event is skipped), with the trace id', async () => {
    const result = await provider.synthesize(speech());
    let bytes = 0;
    for await (const chunk of result.audio) bytes += chunk.length;
    // One second of 24 kHz s16le mono: the fake's tone.
    expect(bytes).toBe(48_000);
    expect(result.upstreamRequestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports a connection cut mid-audio as unavailable', async () => {
    fake.inject({ kind: 'drop_mid_stream' });
    const result = await provider.synthesize(speech());
    const error = await (async () => {
      for await (const chunk of result.audio) void chunk;
    })().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'unavailable' });
  });

  it('lets MiniMax’s refusal of an unknown voice through as an invalid request', async () => {
    await expect(provider.synthesize(speech({ voice: 'nobody' }))).rejects.toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('2054') });
  });
});
