import { expect } from 'vitest';
import type { ResponseFormat } from '../../../src/audio/formats.js';
import { readJson } from '../../fakes/fake-server.js';
import { startMiniMaxFake } from '../../fakes/minimax/server.js';
import type { ProviderContractCase } from '../provider-case.js';

const API_KEY = 'minimax-contract-key';

/** What the adapter must ask for: MiniMax streams mp3, flac and pcm; wav, opus and aac come from 24 kHz pcm. */
const AUDIO_SETTING: Record<ResponseFormat, { format: string; sample_rate: number }> = {
  mp3: { format: 'mp3', sample_rate: 32000 },
  flac: { format: 'flac', sample_rate: 32000 },
  pcm: { format: 'pcm', sample_rate: 24000 },
  wav: { format: 'pcm', sample_rate: 24000 },
  opus: { format: 'pcm', sample_rate: 24000 },
  aac: { format: 'pcm', sample_rate: 24000 },
};

/** LiteLLM's mapping for the voice the suite sends; other names pass through. */
const EXPECTED_VOICE: Readonly<Record<string, string>> = { alloy: 'male-qn-qingse' };

export const contractCase: ProviderContractCase = {
  name: 'minimax',
  model: 'speech-02-hd',
  startFake: () => startMiniMaxFake(),
  litellmParams: (fake) => ({ model: 'minimax/speech-02-hd', api_base: fake.baseUrl, api_key: 'os.environ/MINIMAX_API_KEY' }),
  environment: () => ({ MINIMAX_API_KEY: API_KEY }),
  nativeVoice: 'English_Graceful_Lady',
  checkRequest(request, sent) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/t2a_v2');
    expect([...request.query.keys()]).toEqual([]);
    expect(request.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(readJson(request)).toEqual({
      model: sent.model,
      text: sent.input,
      stream: true,
      output_format: 'hex',
      voice_setting: { voice_id: EXPECTED_VOICE[sent.voice] ?? sent.voice, speed: sent.speed, vol: 1, pitch: 0 },
      audio_setting: { ...AUDIO_SETTING[sent.format], bitrate: 128000, channel: 1 },
    });
  },
  failures: [
    { name: 'status_code 1002 (rate limit)', failure: { kind: 'rate_limited' }, status: 429, code: 'rate_limit_exceeded' },
    { name: 'status_code 1008 (insufficient balance)', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'an HTTP 500', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'an HTTP 503', failure: { kind: 'server_error', status: 503 }, status: 502, code: 'upstream_unavailable' },
    { name: 'status_code 1000 (unknown error)', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
    { name: 'status_code 2049 (invalid API key)', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'status_code 2013 (invalid parameters)', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
    { name: 'status_code 1027 as the first stream event', failure: { kind: 'content_rejected' }, status: 400, code: 'content_policy_violation' },
  ],
};
