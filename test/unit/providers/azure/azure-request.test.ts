import { describe, expect, it } from 'vitest';
import { AZURE_DEFAULT_API_VERSION, azureModelName, toProviderRequest, type AzureSettings } from '../../../../src/providers/azure/azure-request.js';
import { speechRequest } from '../openai/test-dependencies.js';

const SETTINGS: AzureSettings = {
  deployment: 'tts-prod',
  model: 'tts-1',
  apiBase: 'https://my-resource.openai.azure.com',
  apiVersion: AZURE_DEFAULT_API_VERSION,
  credential: { type: 'api-key', apiKey: 'azure-key' },
};

describe('Azure toProviderRequest', () => {
  it('puts the deployment in the path, api-version in the query and the key in api-key', () => {
    const call = toProviderRequest(speechRequest({ voice: 'nova', format: 'aac', speed: 0.75 }), SETTINGS);
    expect(call.url).toBe('https://my-resource.openai.azure.com/openai/deployments/tts-prod/audio/speech?api-version=2025-03-01-preview');
    expect(call.headers).toEqual({ 'api-key': 'azure-key', 'content-type': 'application/json', accept: 'application/octet-stream' });
    expect(call.body).toEqual({ model: 'tts-1', input: 'Hello there.', voice: 'nova', response_format: 'aac', speed: 0.75 });
  });

  it('sends an Entra ID token as Bearer, without api-key', () => {
    const call = toProviderRequest(speechRequest(), { ...SETTINGS, credential: { type: 'bearer', token: 'entra-token' } });
    expect(call.headers).toEqual({ authorization: 'Bearer entra-token', 'content-type': 'application/json', accept: 'application/octet-stream' });
  });

  it('copes with a trailing slash, a chosen api-version and a deployment name that needs escaping', () => {
    const call = toProviderRequest(speechRequest(), {
      ...SETTINGS,
      apiBase: 'https://x.cognitiveservices.azure.com/',
      apiVersion: '2024-10-01-preview',
      deployment: 'tts prod',
    });
    expect(call.url).toBe('https://x.cognitiveservices.azure.com/openai/deployments/tts%20prod/audio/speech?api-version=2024-10-01-preview');
  });

  it('decides instructions from the model behind the deployment', () => {
    const mini = toProviderRequest(speechRequest({ instructions: 'Cheerful.' }), { ...SETTINGS, deployment: 'voice', model: 'gpt-4o-mini-tts' });
    expect(mini.body).toMatchObject({ model: 'gpt-4o-mini-tts', instructions: 'Cheerful.' });
    expect(mini.warnings).toEqual([]);
    const legacy = toProviderRequest(speechRequest({ instructions: 'Cheerful.' }), SETTINGS);
    expect(legacy.body).not.toHaveProperty('instructions');
    expect(legacy.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' })]);
  });

  it('maps voices as OpenAI does (the same code)', () => {
    expect(toProviderRequest(speechRequest({ voice: 'voice_custom1' }), SETTINGS).body.voice).toEqual({ id: 'voice_custom1' });
  });
});

describe('azureModelName', () => {
  it('uses base_model without its azure/ prefix, else the deployment name', () => {
    expect(azureModelName('my-dep', 'azure/gpt-4o-mini-tts')).toBe('gpt-4o-mini-tts');
    expect(azureModelName('my-dep', 'tts-1-hd')).toBe('tts-1-hd');
    expect(azureModelName('gpt-4o-mini-tts', undefined)).toBe('gpt-4o-mini-tts');
  });
});
