import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsPollyFactory } from '../../../../src/providers/aws-polly/index.js';
import type { ProviderDependencies } from '../../../../src/providers/registry.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechProvider, SpeechRequest } from '../../../../src/providers/spec/types.js';
import { startPollyFake } from '../../../fakes/aws-polly/server.js';
import type { FakeServer } from '../../../fakes/fake-server.js';

/** The adapter through the real SDK against the fake, for what the contract suite does not reach. */
describe('Polly adapter over the fake', () => {
  let fake: FakeServer;
  let provider: SpeechProvider;
  beforeAll(async () => {
    fake = await startPollyFake({ behaviour: { chunkBytes: 512 } });
    provider = awsPollyFactory.create({
      model: 'generative',
      params: {
        model: 'aws_polly/generative',
        api_base: fake.baseUrl,
        aws_region_name: 'us-west-2',
        aws_access_key_id: 'AKIDUNIT',
        aws_secret_access_key: 'secret',
        aws_session_token: 'session',
      },
      dependencies: {} as ProviderDependencies,
    });
  });
  afterAll(() => fake.close());

  const speech = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
    input: 'Hello',
    voice: 'nova',
    format: 'mp3',
    speed: 1,
    signal: new AbortController().signal,
    ...overrides,
  });

  it('signs with the session token and maps voices for the engine', async () => {
    const result = await provider.synthesize(speech());
    for await (const chunk of result.audio) expect(chunk.length).toBeGreaterThan(0);
    const request = fake.lastRequest();
    expect(request.headers['x-amz-security-token']).toBe('session');
    expect(request.headers['authorization']).toContain('/us-west-2/polly/aws4_request');
    expect(JSON.parse(request.body.toString())).toMatchObject({ Engine: 'generative', VoiceId: 'Danielle' });
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

  it('lets Polly’s own refusals through as invalid requests', async () => {
    await expect(provider.synthesize(speech({ voice: 'Brian' }))).rejects.toMatchObject({
      kind: 'invalid_request',
      status: 400,
      message: expect.stringContaining('EngineNotSupportedException'),
    });
  });
});
