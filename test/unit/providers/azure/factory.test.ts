import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { azureFactory } from '../../../../src/providers/azure/index.js';
import type { LitellmParams } from '../../../../src/config/schema.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { FAKE_AZURE_AD_TOKEN, FAKE_AZURE_API_KEY, startAzureOpenAIFake } from '../../../fakes/openai/server.js';
import { sampleAudio } from '../../../fakes/sample-audio.js';
import { dependenciesWith, speechRequest } from '../openai/test-dependencies.js';

const create = (deployment: string, params: Omit<LitellmParams, 'model'>) =>
  azureFactory.create({ model: deployment, params: { model: `azure/${deployment}`, ...params }, dependencies: dependenciesWith() });

describe('azureFactory params', () => {
  it.each([
    ['neither api_key nor azure_ad_token', { api_base: 'https://r.openai.azure.com' }],
    ['both api_key and azure_ad_token', { api_base: 'https://r.openai.azure.com', api_key: 'k', azure_ad_token: 't' }],
    ['no api_base', { api_key: 'k' }],
  ])('refuses %s', (_label, params) => {
    expect(() => create('tts', params)).toThrow(ZodError);
  });

  it('takes instructions capability from base_model, else from the deployment name', () => {
    expect(create('voice', { api_base: 'https://r.openai.azure.com', api_key: 'k', base_model: 'azure/gpt-4o-mini-tts' }).capabilities().instructions).toBe(
      true,
    );
    expect(create('voice', { api_base: 'https://r.openai.azure.com', api_key: 'k' }).capabilities().instructions).toBe(false);
    expect(create('gpt-4o-mini-tts', { api_base: 'https://r.openai.azure.com', api_key: 'k' }).capabilities().instructions).toBe(true);
  });
});

describe('the Azure adapter against the Azure fake', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startAzureOpenAIFake();
  });
  afterAll(() => fake.close());

  const collect = async (audio: AsyncIterable<Uint8Array>): Promise<Buffer> => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of audio) chunks.push(chunk);
    return Buffer.concat(chunks);
  };

  it('authenticates with an Entra ID token and uses the default api-version', async () => {
    const provider = create('tts', { api_base: fake.baseUrl, azure_ad_token: FAKE_AZURE_AD_TOKEN });
    const result = await provider.synthesize(speechRequest({ format: 'pcm' }));
    expect(await collect(result.audio)).toEqual(sampleAudio('pcm'));
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    const sent = fake.lastRequest();
    expect(sent.headers['authorization']).toBe(`Bearer ${FAKE_AZURE_AD_TOKEN}`);
    expect(sent.headers['api-key']).toBeUndefined();
    expect(sent.query.get('api-version')).toBe('2025-03-01-preview');
    expect(result.upstreamRequestId).toEqual(expect.any(String));
  });

  it('drops instructions for a tts-1 deployment with a warning, which the service would refuse', async () => {
    const provider = create('tts', { api_base: fake.baseUrl, api_key: FAKE_AZURE_API_KEY });
    const result = await provider.synthesize(speechRequest({ instructions: 'Slowly.' }));
    await collect(result.audio);
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' })]);
    expect(JSON.parse(fake.lastRequest().body.toString('utf8'))).not.toHaveProperty('instructions');
  });

  it('sends instructions to a deployment whose base_model takes them', async () => {
    const provider = create('speech-mini', { api_base: fake.baseUrl, api_key: FAKE_AZURE_API_KEY, base_model: 'gpt-4o-mini-tts' });
    await collect((await provider.synthesize(speechRequest({ instructions: 'Slowly.' }))).audio);
    expect(JSON.parse(fake.lastRequest().body.toString('utf8'))).toMatchObject({ model: 'gpt-4o-mini-tts', instructions: 'Slowly.' });
  });

  it.each([
    ['a wrong key', 'tts', { api_key: 'wrong' }, { kind: 'auth', status: 401 }],
    ['an unknown deployment', 'missing', { api_key: FAKE_AZURE_API_KEY }, { kind: 'unavailable', status: 404 }],
  ])('maps %s to a ProviderError', async (_label, deployment, credential, expected) => {
    const provider = create(deployment, { api_base: fake.baseUrl, ...credential });
    await expect(provider.synthesize(speechRequest())).rejects.toMatchObject({ name: 'ProviderError', provider: 'azure', ...expected });
  });

  it('the fake refuses a request without api-version, or with the key as Bearer', async () => {
    const url = `${fake.baseUrl}/openai/deployments/tts/audio/speech`;
    const body = JSON.stringify({ model: 'tts-1', input: 'Hi.', voice: 'alloy' });
    const withoutVersion = await fetch(url, { method: 'POST', headers: { 'api-key': FAKE_AZURE_API_KEY, 'content-type': 'application/json' }, body });
    expect(withoutVersion.status).toBe(404);
    const keyAsBearer = await fetch(`${url}?api-version=2025-03-01-preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_AZURE_API_KEY}`, 'content-type': 'application/json' },
      body,
    });
    expect(keyAsBearer.status).toBe(401);
    expect(await keyAsBearer.json()).toEqual({ error: { code: '401', message: expect.stringContaining('Access denied') } });
  });
});
