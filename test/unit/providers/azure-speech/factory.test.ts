import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { azureSpeechFactory } from '../../../../src/providers/azure-speech/index.js';
import { dependenciesWith } from './dependencies.js';

const create = (params: Record<string, unknown>) =>
  azureSpeechFactory.create({ model: 'azure-tts', params: { model: 'azure/speech/azure-tts', ...params }, dependencies: dependenciesWith() });

describe('azureSpeechFactory', () => {
  it('builds an adapter from api_base and api_key, with truthful capabilities', () => {
    const adapter = create({ api_base: 'https://eastus.tts.speech.microsoft.com', api_key: 'k' });
    expect(adapter.id).toBe('azure_speech');
    expect(adapter.capabilities()).toEqual({
      maxInputCharacters: 7_500,
      speed: { min: 0.5, max: 2 },
      instructions: false,
      streaming: true,
    });
  });

  it("accepts azure_ad_token instead of a key, and LiteLLM's style fields", () => {
    expect(() =>
      create({ api_base: 'https://eastus.tts.speech.microsoft.com', azure_ad_token: 't', style: 'cheerful', styledegree: 1.5, role: 'Girl', lang: 'de-DE' }),
    ).not.toThrow();
  });

  it('requires api_base and a credential, and names the fields', () => {
    const error = (() => {
      try {
        create({});
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ZodError);
    const paths = (error as ZodError).issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain('api_base');
    expect(() => create({ api_base: 'https://eastus.tts.speech.microsoft.com' })).toThrow(/api_key/);
  });

  it('refuses a styledegree outside 0.01–2', () => {
    expect(() => create({ api_base: 'https://eastus.tts.speech.microsoft.com', api_key: 'k', styledegree: 3 })).toThrow(ZodError);
  });
});
