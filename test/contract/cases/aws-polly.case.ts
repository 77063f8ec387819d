import { expect } from 'vitest';
import type { ResponseFormat } from '../../../src/audio/formats.js';
import { startPollyFake } from '../../fakes/aws-polly/server.js';
import { readSsml } from '../../fakes/aws-polly/ssml.js';
import { readJson } from '../../fakes/fake-server.js';
import type { ProviderContractCase } from '../provider-case.js';

const ACCESS_KEY_ID = 'AKIDPOLLYCONTRACT';
const REGION = 'eu-west-1';

/** What the adapter must ask Polly for: mp3 at 24 kHz, Ogg Opus at 48 kHz, else raw pcm at 16 kHz (Polly's best pcm rate). */
const OUTPUT: Record<ResponseFormat, { OutputFormat: string; SampleRate: string }> = {
  mp3: { OutputFormat: 'mp3', SampleRate: '24000' },
  aac: { OutputFormat: 'mp3', SampleRate: '24000' },
  opus: { OutputFormat: 'ogg_opus', SampleRate: '48000' },
  pcm: { OutputFormat: 'pcm', SampleRate: '16000' },
  wav: { OutputFormat: 'pcm', SampleRate: '16000' },
  flac: { OutputFormat: 'pcm', SampleRate: '16000' },
};

/** LiteLLM's mapping for the voice the suite sends (on the neural engine); other names pass through. */
const EXPECTED_VOICE: Readonly<Record<string, string>> = { alloy: 'Joanna' };

export const contractCase: ProviderContractCase = {
  name: 'aws_polly',
  model: 'neural',
  startFake: () => startPollyFake(),
  litellmParams: (fake) => ({
    model: 'aws_polly/neural',
    api_base: fake.baseUrl,
    aws_region_name: REGION,
    aws_access_key_id: 'os.environ/AWS_ACCESS_KEY_ID',
    aws_secret_access_key: 'os.environ/AWS_SECRET_ACCESS_KEY',
  }),
  environment: () => ({ AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: 'polly-contract-secret' }),
  nativeVoice: 'Danielle',
  checkRequest(request, sent) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/speech');
    expect([...request.query.keys()]).toEqual([]);
    // SigV4 for service polly in the configured region, with the configured key.
    expect(request.headers['authorization']).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/${REGION}/polly/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`),
    );
    expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request.headers['content-type']).toBe('application/json');
    // The router retries; the SDK must not (one attempt of one).
    expect(request.headers['amz-sdk-request']).toBe('attempt=1; max=1');
    const body = readJson(request) as Record<string, unknown>;
    const { Text: text, TextType: textType, ...rest } = body;
    expect(rest).toEqual({ Engine: 'neural', VoiceId: EXPECTED_VOICE[sent.voice] ?? sent.voice, ...OUTPUT[sent.format] });
    if (sent.speed === 1) {
      expect(textType).toBe('text');
      expect(text).toBe(sent.input);
    } else {
      // Speed has no field at Polly: SSML prosody, with the text escaped and read back unchanged.
      expect(textType).toBe('ssml');
      const ssml = readSsml(String(text));
      expect(ssml).toMatchObject({ ok: true, text: sent.input, rates: [`${Math.round(sent.speed * 100)}%`] });
    }
  },
  failures: [
    { name: 'a ThrottlingException (HTTP 400)', failure: { kind: 'rate_limited' }, status: 429, code: 'rate_limit_exceeded' },
    { name: 'a 402 ServiceQuotaExceededException', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'a 500 ServiceFailureException', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 503 ServiceUnavailableException', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 403 UnrecognizedClientException', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'a 400 ValidationException', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
  ],
};
