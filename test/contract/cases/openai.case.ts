import { expect } from 'vitest';
import { readJson, type FakeServer } from '../../fakes/fake-server.js';
import { DEFAULT_OPENAI_RESET_SECONDS } from '../../fakes/openai/failures.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../../fakes/openai/server.js';
import type { ProviderContractCase } from '../provider-case.js';

const ORGANIZATION = 'org-contract';
const PROJECT = 'proj_contract';
/** A custom voice: it reaches the gateway as a string and must leave as OpenAI's `{ "id" }` object. */
const CUSTOM_VOICE = 'voice_contract1234';

export const contractCase: ProviderContractCase = {
  name: 'openai',
  model: 'gpt-4o-mini-tts',
  startFake: () => startOpenAIFake(),
  litellmParams: (fake: FakeServer) => ({
    model: 'openai/gpt-4o-mini-tts',
    api_key: 'os.environ/OPENAI_API_KEY',
    api_base: `${fake.baseUrl}/v1`,
    organization: ORGANIZATION,
    project: PROJECT,
  }),
  environment: () => ({ OPENAI_API_KEY: FAKE_OPENAI_API_KEY }),
  nativeVoice: CUSTOM_VOICE,
  checkRequest(request, sent) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/audio/speech');
    expect([...request.query.keys()]).toEqual([]);
    expect(request.headers['authorization']).toBe(`Bearer ${FAKE_OPENAI_API_KEY}`);
    expect(request.headers['openai-organization']).toBe(ORGANIZATION);
    expect(request.headers['openai-project']).toBe(PROJECT);
    expect(request.headers['content-type']).toBe('application/json');
    expect(readJson(request)).toEqual({
      model: sent.model,
      input: sent.input,
      voice: sent.voice === CUSTOM_VOICE ? { id: CUSTOM_VOICE } : sent.voice,
      response_format: sent.format,
      speed: sent.speed,
      ...(sent.instructions === undefined ? {} : { instructions: sent.instructions }),
    });
  },
  failures: [
    { name: 'a 429 with retry-after', failure: { kind: 'rate_limited', retryAfterSeconds: 7 }, status: 429, code: 'rate_limit_exceeded', retryAfterSeconds: 7 },
    {
      name: 'a 429 with only x-ratelimit-reset-requests',
      failure: { kind: 'rate_limited' },
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterSeconds: DEFAULT_OPENAI_RESET_SECONDS,
    },
    { name: 'a 429 insufficient_quota', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'a 500 server_error', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 503 overloaded', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 401 invalid_api_key', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'a 400 invalid_request_error', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
    { name: 'a 400 content_policy_violation', failure: { kind: 'content_rejected' }, status: 400, code: 'content_policy_violation' },
  ],
};
