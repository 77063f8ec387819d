import { expect } from 'vitest';
import { readJson, type FakeServer } from '../../fakes/fake-server.js';
import { DEFAULT_AZURE_RETRY_SECONDS } from '../../fakes/openai/failures.js';
import { FAKE_AZURE_API_KEY, startAzureOpenAIFake } from '../../fakes/openai/server.js';
import type { ProviderContractCase } from '../provider-case.js';

const API_VERSION = '2025-03-01-preview';
/** The fake's `speech-mini` deployment runs gpt-4o-mini-tts, named by `base_model` as LiteLLM writes it. */
const DEPLOYMENT = 'speech-mini';
const BASE_MODEL = 'gpt-4o-mini-tts';

export const contractCase: ProviderContractCase = {
  name: 'azure',
  model: DEPLOYMENT,
  startFake: () => startAzureOpenAIFake(),
  litellmParams: (fake: FakeServer) => ({
    model: `azure/${DEPLOYMENT}`,
    api_base: fake.baseUrl,
    api_key: 'os.environ/AZURE_API_KEY',
    api_version: API_VERSION,
    base_model: `azure/${BASE_MODEL}`,
  }),
  environment: () => ({ AZURE_API_KEY: FAKE_AZURE_API_KEY }),
  nativeVoice: 'marin',
  checkRequest(request, sent) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/openai/deployments/${sent.model}/audio/speech`);
    expect(Object.fromEntries(request.query)).toEqual({ 'api-version': API_VERSION });
    expect(request.headers['api-key']).toBe(FAKE_AZURE_API_KEY);
    expect(request.headers['authorization']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    expect(readJson(request)).toEqual({
      model: BASE_MODEL,
      input: sent.input,
      voice: sent.voice,
      response_format: sent.format,
      speed: sent.speed,
      ...(sent.instructions === undefined ? {} : { instructions: sent.instructions }),
    });
  },
  failures: [
    { name: 'a 429 with retry-after', failure: { kind: 'rate_limited', retryAfterSeconds: 7 }, status: 429, code: 'rate_limit_exceeded', retryAfterSeconds: 7 },
    {
      name: 'a 429 whose wait is only in the message',
      failure: { kind: 'rate_limited' },
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterSeconds: DEFAULT_AZURE_RETRY_SECONDS,
    },
    { name: 'a 429 insufficient_quota', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'a 500 InternalServerError', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 503 ServiceUnavailable', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 401 access denied', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'a 400 invalid_request_error', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
    { name: 'a 400 content_filter', failure: { kind: 'content_rejected' }, status: 400, code: 'content_policy_violation' },
  ],
};
