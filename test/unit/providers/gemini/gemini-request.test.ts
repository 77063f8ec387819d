import { describe, expect, it } from 'vitest';
import { GEMINI_DEFAULT_API_BASE, toProviderRequest, type GeminiSettings } from '../../../../src/providers/gemini/gemini-request.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';

const settings: GeminiSettings = { model: 'gemini-2.5-pro-preview-tts', apiKey: 'AIza-test', apiBase: GEMINI_DEFAULT_API_BASE };
const request = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
  input: 'Hi.',
  voice: 'echo',
  format: 'mp3',
  speed: 1,
  signal: new AbortController().signal,
  ...overrides,
});

describe('Gemini toProviderRequest', () => {
  it('posts to v1beta generateContent with the key in x-goog-api-key', () => {
    const call = toProviderRequest(request(), settings);
    expect(call.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro-preview-tts:generateContent');
    expect(call.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'AIza-test' });
    expect(call.url).not.toContain('AIza-test');
  });

  it.each([
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000/v1beta/models/gemini-2.5-pro-preview-tts:generateContent'],
    ['http://127.0.0.1:9000/', 'http://127.0.0.1:9000/v1beta/models/gemini-2.5-pro-preview-tts:generateContent'],
    // LiteLLM's form: an api_base that names the version gets /models/{model}:… appended.
    ['https://gateway.example/google/v1beta', 'https://gateway.example/google/v1beta/models/gemini-2.5-pro-preview-tts:generateContent'],
    ['https://gateway.example/v1alpha/', 'https://gateway.example/v1alpha/models/gemini-2.5-pro-preview-tts:generateContent'],
  ])('builds the URL from api_base %s', (apiBase, url) => {
    expect(toProviderRequest(request(), { ...settings, apiBase }).url).toBe(url);
  });

  it('sends the shared Gemini TTS body: voice mapped, instructions as a style prefix, no format field', () => {
    const call = toProviderRequest(request({ voice: 'echo', instructions: 'Whisper', format: 'flac', speed: 2 }), settings);
    expect(call.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Whisper: Hi.' }] }],
      generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Charon' } } } },
    });
    expect(call.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'speed' })]);
  });
});
