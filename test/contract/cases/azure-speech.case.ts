import { expect } from 'vitest';
import type { ResponseFormat } from '../../../src/audio/formats.js';
import { startAzureSpeechFake } from '../../fakes/azure-speech/server.js';
import { readSsml } from '../../fakes/azure-speech/ssml.js';
import type { ProviderContractCase } from '../provider-case.js';

const API_KEY = 'azure-speech-contract-key';

/** What the adapter must ask Azure for, per requested format (wav, aac and flac come from raw pcm). */
const OUTPUT_FORMAT: Record<ResponseFormat, string> = {
  mp3: 'audio-24khz-96kbitrate-mono-mp3',
  opus: 'ogg-24khz-16bit-mono-opus',
  pcm: 'raw-24khz-16bit-mono-pcm',
  wav: 'raw-24khz-16bit-mono-pcm',
  aac: 'raw-24khz-16bit-mono-pcm',
  flac: 'raw-24khz-16bit-mono-pcm',
};

/** LiteLLM's mapping for the voices the suite sends; other names pass through. */
const EXPECTED_VOICE: Readonly<Record<string, string>> = { alloy: 'en-US-JennyNeural' };

export const contractCase: ProviderContractCase = {
  name: 'azure_speech',
  model: 'azure-tts',
  startFake: () => startAzureSpeechFake(),
  litellmParams: (fake) => ({ model: 'azure/speech/azure-tts', api_base: fake.baseUrl, api_key: 'os.environ/AZURE_TTS_API_KEY' }),
  environment: () => ({ AZURE_TTS_API_KEY: API_KEY }),
  nativeVoice: 'en-GB-SoniaNeural',
  checkRequest(request, sent) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/cognitiveservices/v1');
    expect([...request.query.keys()]).toEqual([]);
    expect(request.headers['ocp-apim-subscription-key']).toBe(API_KEY);
    expect(request.headers['authorization']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/ssml+xml');
    expect(request.headers['user-agent']).toBe('tts-gateway');
    expect(request.headers['x-microsoft-outputformat']).toBe(OUTPUT_FORMAT[sent.format]);
    const ssml = readSsml(request.body.toString('utf8'));
    expect(ssml.voices).toHaveLength(1);
    const [voice] = ssml.voices;
    expect(voice?.name).toBe(EXPECTED_VOICE[sent.voice] ?? sent.voice);
    expect(voice?.rates).toEqual([`${sent.speed >= 1 ? '+' : '-'}${Math.round(Math.abs(sent.speed - 1) * 100)}%`]);
    // The text arrives exactly as sent: escaped on the wire, never read as markup.
    expect(voice?.text).toBe(sent.input);
  },
  failures: [
    { name: 'a 429 with Retry-After', failure: { kind: 'rate_limited', retryAfterSeconds: 7 }, status: 429, code: 'rate_limit_exceeded', retryAfterSeconds: 7 },
    { name: 'a 429 without a hint', failure: { kind: 'rate_limited' }, status: 429, code: 'rate_limit_exceeded' },
    { name: 'a 403 out of call volume quota', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'a 500', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 502', failure: { kind: 'server_error', status: 502 }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 503', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 401', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'a 400', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
  ],
};
