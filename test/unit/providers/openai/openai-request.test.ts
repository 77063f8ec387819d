import { describe, expect, it } from 'vitest';
import { RESPONSE_FORMATS } from '../../../../src/audio/formats.js';
import { OPENAI_DEFAULT_API_BASE, toProviderRequest, type OpenAISettings } from '../../../../src/providers/openai/openai-request.js';
import { OPENAI_VOICES } from '../../../../src/providers/openai/openai-voices.js';
import { speechRequest } from './test-dependencies.js';

const SETTINGS: OpenAISettings = { model: 'gpt-4o-mini-tts', apiKey: 'sk-test', apiBase: OPENAI_DEFAULT_API_BASE };

describe('OpenAI toProviderRequest', () => {
  it('posts JSON to {api_base}/audio/speech with a Bearer key and exactly the speech fields', () => {
    const call = toProviderRequest(speechRequest({ input: 'Hi & <bye>', voice: 'coral', format: 'opus', speed: 1.5 }), SETTINGS);
    expect(call.url).toBe('https://api.openai.com/v1/audio/speech');
    expect(call.headers).toEqual({ authorization: 'Bearer sk-test', 'content-type': 'application/json', accept: 'application/octet-stream' });
    expect(call.body).toEqual({ model: 'gpt-4o-mini-tts', input: 'Hi & <bye>', voice: 'coral', response_format: 'opus', speed: 1.5 });
    expect(call.warnings).toEqual([]);
  });

  it('joins an api_base with a trailing slash and sends organization and project headers', () => {
    const call = toProviderRequest(speechRequest(), { ...SETTINGS, apiBase: 'https://proxy.example/v1/', organization: 'org-1', project: 'proj_1' });
    expect(call.url).toBe('https://proxy.example/v1/audio/speech');
    expect(call.headers['openai-organization']).toBe('org-1');
    expect(call.headers['openai-project']).toBe('proj_1');
  });

  it.each(RESPONSE_FORMATS)('asks for %s itself', (format) => {
    expect(toProviderRequest(speechRequest({ format }), SETTINGS).body.response_format).toBe(format);
  });

  it.each(OPENAI_VOICES)('sends the built-in voice %s as a string', (voice) => {
    expect(toProviderRequest(speechRequest({ voice }), SETTINGS).body.voice).toBe(voice);
  });

  it('sends a custom voice id as the { id } object OpenAI takes, and any other name unchanged', () => {
    expect(toProviderRequest(speechRequest({ voice: 'voice_abc123' }), SETTINGS).body.voice).toEqual({ id: 'voice_abc123' });
    expect(toProviderRequest(speechRequest({ voice: 'Narrator' }), SETTINGS).body.voice).toBe('Narrator');
  });

  it.each(['gpt-4o-mini-tts', 'gpt-4o-mini-tts-2025-12-15', 'gpt-4o-mini-tts-2025-03-20'])('sends instructions to %s', (model) => {
    const call = toProviderRequest(speechRequest({ instructions: 'Speak softly.' }), { ...SETTINGS, model });
    expect(call.body.instructions).toBe('Speak softly.');
    expect(call.warnings).toEqual([]);
  });

  it.each(['tts-1', 'tts-1-hd'])('leaves instructions out for %s and says so', (model) => {
    const call = toProviderRequest(speechRequest({ instructions: 'Speak softly.' }), { ...SETTINGS, model });
    expect(call.body).not.toHaveProperty('instructions');
    expect(call.warnings).toEqual([{ type: 'unsupported-setting', setting: 'instructions', details: expect.stringContaining(model) }]);
  });

  it('treats empty instructions as none', () => {
    const call = toProviderRequest(speechRequest({ instructions: '' }), { ...SETTINGS, model: 'tts-1' });
    expect(call.body).not.toHaveProperty('instructions');
    expect(call.warnings).toEqual([]);
  });

  it.each([
    [0.1, 0.25],
    [6, 4],
  ])('clamps speed %d to %d with a warning', (requested, applied) => {
    const call = toProviderRequest(speechRequest({ speed: requested }), SETTINGS);
    expect(call.body.speed).toBe(applied);
    expect(call.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested, applied }]);
  });

  it('keeps speeds OpenAI accepts, bounds included', () => {
    for (const speed of [0.25, 1, 3.5, 4]) expect(toProviderRequest(speechRequest({ speed }), SETTINGS)).toMatchObject({ body: { speed }, warnings: [] });
  });
});
