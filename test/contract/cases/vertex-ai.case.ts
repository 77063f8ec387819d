import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readJson } from '../../fakes/fake-server.js';
import { expectedGeminiBody, googleFailures } from '../../fakes/google/expected-requests.js';
import { startVertexFake, type VertexFake } from '../../fakes/google/server.js';
import type { ProviderContractCase, SentSpeech } from '../provider-case.js';

const LOCATION = 'us-central1';
/** The service-account key file lives here for the case's lifetime. */
let directory: string | undefined;
let vertex: VertexFake | undefined;

/**
 * Gemini TTS on Vertex AI. The adapter gets its token through google-auth-library's real
 * JWT-bearer flow from the fake's `/token`, with a key file written here.
 */
export const contractCase: ProviderContractCase = {
  name: 'vertex_ai',
  model: 'gemini-2.5-flash-preview-tts',
  async startFake() {
    vertex = await startVertexFake();
    directory = mkdtempSync(join(tmpdir(), 'vertex-contract-'));
    writeFileSync(join(directory, 'service-account.json'), JSON.stringify(vertex.serviceAccount(), null, 2), { mode: 0o600 });
    return vertex;
  },
  litellmParams: (fake) => ({
    model: 'vertex_ai/gemini-2.5-flash-preview-tts',
    vertex_project: (fake as VertexFake).projectId,
    vertex_location: LOCATION,
    vertex_credentials: join(directory as string, 'service-account.json'),
    api_base: fake.baseUrl,
  }),
  nativeVoice: 'Charon',
  checkRequest(request, sent: SentSpeech) {
    const fake = vertex as VertexFake;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v1/projects/${fake.projectId}/locations/${LOCATION}/publishers/google/models/${sent.model}:generateContent`);
    expect([...request.query.keys()]).toEqual([]);
    const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
    expect(token !== undefined && fake.issuedTokens.has(token), 'a bearer token issued by the fake token endpoint').toBe(true);
    expect(request.headers['x-goog-api-key']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    expect(readJson(request)).toEqual(expectedGeminiBody(sent));
  },
  failures: googleFailures('vertex'),
  async cleanup() {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  },
};
