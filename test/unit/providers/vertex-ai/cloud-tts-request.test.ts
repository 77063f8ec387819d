import { describe, expect, it } from 'vitest';
import { RESPONSE_FORMATS } from '../../../../src/audio/formats.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { toProviderRequest, type CloudTtsSettings } from '../../../../src/providers/vertex-ai/cloud-tts-request.js';
import { OPENAI_TO_CLOUD_TTS_VOICE, resolveCloudTtsVoice } from '../../../../src/providers/vertex-ai/cloud-tts-voices.js';

const settings: CloudTtsSettings = { url: 'https://texttospeech.googleapis.com/v1/text:synthesize', quotaProject: 'my-project' };
const request = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
  input: 'Hello.',
  voice: 'alloy',
  format: 'mp3',
  speed: 1,
  signal: new AbortController().signal,
  ...overrides,
});

describe('Cloud TTS voices', () => {
  it("keeps LiteLLM's six mappings and maps the other seven OpenAI names to distinct voices", () => {
    expect(resolveCloudTtsVoice('alloy')).toEqual({ languageCode: 'en-US', name: 'en-US-Studio-O' });
    expect(resolveCloudTtsVoice('echo')).toEqual({ languageCode: 'en-US', name: 'en-US-Studio-M' });
    expect(resolveCloudTtsVoice('fable')).toEqual({ languageCode: 'en-GB', name: 'en-GB-Studio-B' });
    expect(resolveCloudTtsVoice('onyx').name).toBe('en-US-Wavenet-D');
    expect(resolveCloudTtsVoice('nova').name).toBe('en-US-Studio-O');
    expect(resolveCloudTtsVoice('shimmer').name).toBe('en-US-Wavenet-F');
    const newer = ['ash', 'ballad', 'coral', 'sage', 'verse', 'marin', 'cedar'].map((voice) => resolveCloudTtsVoice(voice).name);
    expect(new Set(newer).size).toBe(7);
    for (const name of newer) expect(name).toMatch(/^en-US-Chirp3-HD-[A-Z][a-z]+$/);
    expect(Object.keys(OPENAI_TO_CLOUD_TTS_VOICE)).toHaveLength(13);
  });

  it('passes native voices through with the language from their name', () => {
    expect(resolveCloudTtsVoice('cmn-CN-Chirp3-HD-Aoede')).toEqual({ languageCode: 'cmn-CN', name: 'cmn-CN-Chirp3-HD-Aoede' });
    expect(resolveCloudTtsVoice('de-DE-Neural2-B')).toEqual({ languageCode: 'de-DE', name: 'de-DE-Neural2-B' });
    expect(resolveCloudTtsVoice('Kore')).toEqual({ languageCode: 'en-US', name: 'Kore' });
  });
});

describe('Cloud TTS toProviderRequest', () => {
  it('sends text, voice and audioConfig with a bearer token and the billing project', () => {
    const call = toProviderRequest(request({ speed: 1.25 }), settings, 'ya29.token');
    expect(call.url).toBe(settings.url);
    expect(call.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      authorization: 'Bearer ya29.token',
      'x-goog-user-project': 'my-project',
    });
    expect(call.body).toEqual({
      input: { text: 'Hello.' },
      voice: { languageCode: 'en-US', name: 'en-US-Studio-O' },
      audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24_000, speakingRate: 1.25 },
    });
    expect(call.warnings).toEqual([]);
  });

  it('leaves x-goog-user-project out without a project', () => {
    expect(toProviderRequest(request(), { url: settings.url }, 't').headers).not.toHaveProperty('x-goog-user-project');
  });

  it.each([
    ['mp3', 'MP3'],
    ['opus', 'OGG_OPUS'],
    ['aac', 'PCM'],
    ['flac', 'PCM'],
    ['wav', 'LINEAR16'],
    ['pcm', 'PCM'],
  ] as const)('asks for %s as %s (never the invalid FLAC)', (format, encoding) => {
    expect(toProviderRequest(request({ format }), settings, 't').body.audioConfig.audioEncoding).toBe(encoding);
  });

  it('covers every response format', () => {
    for (const format of RESPONSE_FORMATS) expect(() => toProviderRequest(request({ format }), settings, 't')).not.toThrow();
  });

  it.each([
    [4, 2],
    [2.5, 2],
    [0.25, 0.25],
  ])('clamps speed %d to speakingRate %d and says so', (speed, applied) => {
    const call = toProviderRequest(request({ speed }), settings, 't');
    expect(call.body.audioConfig.speakingRate).toBe(applied);
    expect(call.warnings).toEqual(speed === applied ? [] : [{ type: 'clamped-setting', setting: 'speed', requested: speed, applied }]);
  });

  it('warns that instructions are not supported', () => {
    expect(toProviderRequest(request({ instructions: 'Speak softly' }), settings, 't').warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' }),
    ]);
  });

  it('sends <speak> documents as SSML', () => {
    expect(toProviderRequest(request({ input: ' <speak>Hi <break time="1s"/></speak>' }), settings, 't').body.input).toEqual({
      ssml: ' <speak>Hi <break time="1s"/></speak>',
    });
    expect(toProviderRequest(request({ input: 'Check <this> & "that"' }), settings, 't').body.input).toEqual({ text: 'Check <this> & "that"' });
  });

  it('refuses more than 5000 bytes of UTF-8 before calling, even under 5000 characters', () => {
    expect(() => toProviderRequest(request({ input: 'a'.repeat(5000) }), settings, 't')).not.toThrow();
    let thrown: unknown;
    try {
      toProviderRequest(request({ input: 'é'.repeat(2501) }), settings, 't');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ kind: 'invalid_request', status: 400 });
  });
});
