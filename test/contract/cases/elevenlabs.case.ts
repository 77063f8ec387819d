import { expect } from 'vitest';
import type { ResponseFormat } from '../../../src/audio/formats.js';
import { readJson } from '../../fakes/fake-server.js';
import { startElevenLabsFake } from '../../fakes/elevenlabs/server.js';
import type { ProviderContractCase } from '../provider-case.js';

const API_KEY = 'sk_elevenlabs_contract_key';

/** What the adapter must ask for, per requested format (wav, aac and flac come from pcm_24000). */
const OUTPUT_FORMAT: Record<ResponseFormat, string> = {
  mp3: 'mp3_44100_128',
  opus: 'opus_48000_64',
  pcm: 'pcm_24000',
  wav: 'pcm_24000',
  aac: 'pcm_24000',
  flac: 'pcm_24000',
};

/** LiteLLM's voice id for the OpenAI voice the suite sends; other voices pass through. */
const EXPECTED_VOICE: Readonly<Record<string, string>> = { alloy: '21m00Tcm4TlvDq8ikWAM' };

export const contractCase: ProviderContractCase = {
  name: 'elevenlabs',
  model: 'eleven_multilingual_v2',
  startFake: () => startElevenLabsFake(),
  litellmParams: (fake) => ({ model: 'elevenlabs/eleven_multilingual_v2', api_base: fake.baseUrl, api_key: 'os.environ/ELEVENLABS_API_KEY' }),
  environment: () => ({ ELEVENLABS_API_KEY: API_KEY }),
  // Adam, a premade voice no OpenAI name maps to.
  nativeVoice: 'pNInz6obpgDQGcFmaJgB',
  checkRequest(request, sent) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v1/text-to-speech/${EXPECTED_VOICE[sent.voice] ?? sent.voice}/stream`);
    expect(Object.fromEntries(request.query)).toEqual({ output_format: OUTPUT_FORMAT[sent.format] });
    expect(request.headers['xi-api-key']).toBe(API_KEY);
    expect(request.headers['authorization']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    // Speed goes in voice_settings only when it differs from 1, clamped to ElevenLabs' 0.7–1.2.
    const speed = Math.min(1.2, Math.max(0.7, sent.speed));
    expect(readJson(request)).toEqual({
      text: sent.input,
      model_id: sent.model,
      ...(sent.speed === 1 ? {} : { voice_settings: { speed } }),
    });
  },
  failures: [
    {
      name: 'a 429 too_many_concurrent_requests with Retry-After',
      failure: { kind: 'rate_limited', retryAfterSeconds: 3 },
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterSeconds: 3,
    },
    { name: 'a 429 without a hint', failure: { kind: 'rate_limited' }, status: 429, code: 'rate_limit_exceeded' },
    { name: 'a 401 quota_exceeded', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'a 401 invalid_api_key', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'a 422 validation error', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
    { name: 'a 500', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 503', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
  ],
};
