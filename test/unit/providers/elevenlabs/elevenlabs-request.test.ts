import { describe, expect, it } from 'vitest';
import { RESPONSE_FORMATS, type ResponseFormat } from '../../../../src/audio/formats.js';
import { toProviderRequest, type ElevenLabsSettings } from '../../../../src/providers/elevenlabs/elevenlabs-request.js';
import { ELEVENLABS_VOICES, resolveElevenLabsVoice } from '../../../../src/providers/elevenlabs/elevenlabs-voices.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { ELEVENLABS_OUTPUT_FORMATS, speechBodySchema } from '../../../fakes/elevenlabs/wire.js';

const SETTINGS: ElevenLabsSettings = { apiKey: 'sk_test', apiBase: 'https://api.elevenlabs.io', model: 'eleven_turbo_v2_5' };

function speech(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, ...overrides };
}

const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

describe('toProviderRequest (ElevenLabs)', () => {
  it('posts to the streaming endpoint with xi-api-key and a snake_case body', () => {
    const call = toProviderRequest(speech(), SETTINGS);
    expect(call.url).toBe('https://api.elevenlabs.io/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream?output_format=mp3_44100_128');
    expect(call.headers).toEqual({ 'xi-api-key': 'sk_test', 'Content-Type': 'application/json' });
    expect(call.body).toEqual({ text: 'Hello there.', model_id: 'eleven_turbo_v2_5' });
    expect(speechBodySchema.safeParse(call.body).success).toBe(true);
    expect(call.warnings).toEqual([]);
  });

  it('keeps a path in api_base and drops a trailing slash', () => {
    expect(toProviderRequest(speech(), { ...SETTINGS, apiBase: 'http://127.0.0.1:9000/eleven/' }).url).toBe(
      'http://127.0.0.1:9000/eleven/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream?output_format=mp3_44100_128',
    );
  });

  const expected: Record<ResponseFormat, [string, object]> = {
    mp3: ['mp3_44100_128', { format: 'mp3', sampleRate: 44_100, channels: 1 }],
    opus: ['opus_48000_64', { format: 'opus', sampleRate: 48_000, channels: 1 }],
    pcm: ['pcm_24000', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    wav: ['pcm_24000', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    aac: ['pcm_24000', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    flac: ['pcm_24000', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
  };
  it.each(RESPONSE_FORMATS)('asks for a real output_format for %s and states its encoding', (format) => {
    const call = toProviderRequest(speech({ format }), SETTINGS);
    const [outputFormat, encoding] = expected[format];
    expect(new URL(call.url).searchParams.get('output_format')).toBe(outputFormat);
    expect(ELEVENLABS_OUTPUT_FORMATS).toContain(outputFormat);
    expect(call.encoding).toEqual(encoding);
  });

  it("maps all 13 OpenAI voices to distinct voice ids, keeping LiteLLM's", () => {
    const ids = OPENAI_VOICES.map(resolveElevenLabsVoice);
    expect(new Set(ids).size).toBe(13);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect({ alloy: ids[0], ash: ids[1], coral: ids[3], onyx: ids[6], sage: ids[8], verse: ids[10] }).toEqual({
      alloy: '21m00Tcm4TlvDq8ikWAM',
      ash: 'AZnzlk1XvdvUeBnXmlld',
      coral: '9BWtsMINqrJLrRacOk9x',
      onyx: '29vD33N1CtxCmqQRPOHJ',
      sage: 'CwhRBWXzGAHq8TQ4Fs17',
      verse: 'CYw3kZ02Hs0563khs1Fj',
    });
    expect(new Set(Object.values(ELEVENLABS_VOICES)).size).toBe(Object.keys(ELEVENLABS_VOICES).length);
  });

  it('looks voices up case-insensitively and passes ids through, escaped into the path', () => {
    expect(resolveElevenLabsVoice(' Alloy ')).toBe('21m00Tcm4TlvDq8ikWAM');
    expect(resolveElevenLabsVoice('pNInz6obpgDQGcFmaJgB')).toBe('pNInz6obpgDQGcFmaJgB');
    expect(new URL(toProviderRequest(speech({ voice: '../../v1/user' }), SETTINGS).url).pathname).toBe('/v1/text-to-speech/..%2F..%2Fv1%2Fuser/stream');
  });

  it('sends a speed other than 1 in voice_settings', () => {
    expect(toProviderRequest(speech({ speed: 0.8 }), SETTINGS).body.voice_settings).toEqual({ speed: 0.8 });
  });

  it.each([
    [1.25, 1.2],
    [4, 1.2],
    [0.25, 0.7],
  ])('clamps speed %d to %d with a warning', (requested, applied) => {
    const call = toProviderRequest(speech({ speed: requested }), SETTINGS);
    expect(call.body.voice_settings).toEqual({ speed: applied });
    expect(call.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested, applied }]);
  });

  it("merges the speed into the deployment's voice settings and adds its body fields", () => {
    const settings: ElevenLabsSettings = {
      ...SETTINGS,
      voiceSettings: { stability: 0.4, similarity_boost: 0.8, speed: 0.9 },
      languageCode: 'de',
      applyTextNormalization: 'on',
      seed: 42,
    };
    expect(toProviderRequest(speech(), settings).body).toEqual({
      text: 'Hello there.',
      model_id: 'eleven_turbo_v2_5',
      voice_settings: { stability: 0.4, similarity_boost: 0.8, speed: 0.9 },
      language_code: 'de',
      apply_text_normalization: 'on',
      seed: 42,
    });
    expect(toProviderRequest(speech({ speed: 1.1 }), settings).body.voice_settings).toEqual({ stability: 0.4, similarity_boost: 0.8, speed: 1.1 });
  });

  it('warns that instructions are not supported', () => {
    expect(toProviderRequest(speech({ instructions: 'Whisper' }), SETTINGS).warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' }),
    ]);
  });
});
