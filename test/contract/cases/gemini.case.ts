import { expect } from 'vitest';
import { readJson } from '../../fakes/fake-server.js';
import { GEMINI_FAKE_API_KEY, startGeminiFake } from '../../fakes/google/server.js';
import type { ProviderContractCase, SentSpeech } from '../provider-case.js';
import { expectedGeminiBody, googleFailures } from '../../fakes/google/expected-requests.js';

export const contractCase: ProviderContractCase = {
  name: 'gemini',
  model: 'gemini-2.5-flash-preview-tts',
  startFake: () => startGeminiFake(),
  litellmParams: (fake) => ({
    model: 'gemini/gemini-2.5-flash-preview-tts',
    api_key: 'os.environ/GEMINI_API_KEY',
    api_base: fake.baseUrl,
  }),
  environment: () => ({ GEMINI_API_KEY: GEMINI_FAKE_API_KEY }),
  nativeVoice: 'Puck',
  checkRequest(request, sent: SentSpeech) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v1beta/models/${sent.model}:generateContent`);
    // The key travels in its header, never in the URL.
    expect([...request.query.keys()]).toEqual([]);
    expect(request.headers['x-goog-api-key']).toBe(GEMINI_FAKE_API_KEY);
    expect(request.headers['authorization']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    expect(readJson(request)).toEqual(expectedGeminiBody(sent));
  },
  failures: googleFailures('gemini'),
};
