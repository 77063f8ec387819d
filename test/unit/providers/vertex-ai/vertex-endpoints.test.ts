import { describe, expect, it } from 'vitest';
import { cloudTtsSynthesizeUrl, vertexGenerateContentUrl, vertexHost } from '../../../../src/providers/vertex-ai/vertex-endpoints.js';

describe('Vertex AI endpoints', () => {
  it.each([
    ['us-central1', 'https://us-central1-aiplatform.googleapis.com'],
    ['europe-west4', 'https://europe-west4-aiplatform.googleapis.com'],
    ['global', 'https://aiplatform.googleapis.com'],
    ['us', 'https://aiplatform.us.rep.googleapis.com'],
    ['eu', 'https://aiplatform.eu.rep.googleapis.com'],
  ])('serves location %s from %s', (location, host) => {
    expect(vertexHost(location)).toBe(host);
  });

  it('builds the v1 publisher model URL for the location', () => {
    expect(vertexGenerateContentUrl({ project: 'my-project', location: 'us-central1', model: 'gemini-2.5-flash-preview-tts' })).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash-preview-tts:generateContent',
    );
    expect(vertexGenerateContentUrl({ project: 'p', location: 'global', model: 'gemini-2.5-pro-tts' })).toBe(
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro-tts:generateContent',
    );
  });

  it('replaces the host with an api_base, and appends only the method to a full model resource (LiteLLM)', () => {
    expect(vertexGenerateContentUrl({ project: 'p', location: 'us-east5', model: 'm-tts', apiBase: 'http://127.0.0.1:8080/' })).toBe(
      'http://127.0.0.1:8080/v1/projects/p/locations/us-east5/publishers/google/models/m-tts:generateContent',
    );
    expect(
      vertexGenerateContentUrl({
        project: 'p',
        location: 'us-east5',
        model: 'm-tts',
        apiBase: 'https://proxy.example/v1/projects/p/locations/us-east5/publishers/google/models/m-tts',
      }),
    ).toBe('https://proxy.example/v1/projects/p/locations/us-east5/publishers/google/models/m-tts:generateContent');
  });

  it('builds the Cloud TTS synthesize URL, taking a full LiteLLM api_base verbatim', () => {
    expect(cloudTtsSynthesizeUrl(undefined)).toBe('https://texttospeech.googleapis.com/v1/text:synthesize');
    expect(cloudTtsSynthesizeUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1/text:synthesize');
    expect(cloudTtsSynthesizeUrl('https://eu-texttospeech.googleapis.com/v1/text:synthesize')).toBe(
      'https://eu-texttospeech.googleapis.com/v1/text:synthesize',
    );
  });
});
