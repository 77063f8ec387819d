import { expect } from 'vitest';
import { readJson } from '../../fakes/fake-server.js';
import { expectedCloudTtsBody, googleFailures } from '../../fakes/google/expected-requests.js';
import { startVertexFake, type VertexFake } from '../../fakes/google/server.js';
import type { ProviderContractCase, SentSpeech } from '../provider-case.js';

let vertex: VertexFake | undefined;

/**
 * `vertex_ai/chirp`: Cloud Text-to-Speech. The credentials are the key file's JSON itself, as a
 * string (LiteLLM's other documented form), with the project taken from it.
 */
export const contractCase: ProviderContractCase = {
  name: 'vertex_ai_cloud_tts',
  providerId: 'vertex_ai',
  model: 'chirp',
  async startFake() {
    vertex = await startVertexFake();
    return vertex;
  },
  litellmParams: (fake) => ({
    model: 'vertex_ai/chirp',
    vertex_credentials: JSON.stringify((fake as VertexFake).serviceAccount()),
    api_base: fake.baseUrl,
  }),
  namesUpstreamCalls: false,
  nativeVoice: 'en-GB-Neural2-C',
  checkRequest(request, sent: SentSpeech) {
    const fake = vertex as VertexFake;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/text:synthesize');
    expect([...request.query.keys()]).toEqual([]);
    const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
    expect(token !== undefined && fake.issuedTokens.has(token), 'a bearer token issued by the fake token endpoint').toBe(true);
    expect(request.headers['x-goog-user-project']).toBe(fake.projectId);
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(readJson(request)).toEqual(expectedCloudTtsBody(sent));
  },
  failures: googleFailures('cloud_tts'),
};
