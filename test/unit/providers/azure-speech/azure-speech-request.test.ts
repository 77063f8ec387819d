import { describe, expect, it } from 'vitest';
import { RESPONSE_FORMATS, type ResponseFormat } from '../../../../src/audio/formats.js';
import { toProviderRequest, type AzureSpeechSettings } from '../../../../src/providers/azure-speech/azure-speech-request.js';
import { synthesisUrl } from '../../../../src/providers/azure-speech/azure-speech-endpoint.js';
import { AZURE_SPEECH_VOICES } from '../../../../src/providers/azure-speech/azure-speech-voices.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { readSsml } from '../../../fakes/azure-speech/ssml.js';
import { AZURE_OUTPUT_FORMATS } from '../../../fakes/azure-speech/output-formats.js';

const SETTINGS: AzureSpeechSettings = {
  apiBase: 'https://eastus.tts.speech.microsoft.com',
  credential: { kind: 'key', key: 'k-123' },
  style: {},
  userAgent: 'tts-gateway',
};

function speech(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, ...overrides };
}

describe('synthesisUrl', () => {
  it.each([
    ['https://eastus.api.cognitive.microsoft.com', 'https://eastus.tts.speech.microsoft.com/cognitiveservices/v1'],
    ['https://westeurope.api.cognitive.microsoft.com/', 'https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1'],
    ['https://eastus.tts.speech.microsoft.com', 'https://eastus.tts.speech.microsoft.com/cognitiveservices/v1'],
    ['https://eastus.tts.speech.microsoft.com/cognitiveservices/v1', 'https://eastus.tts.speech.microsoft.com/cognitiveservices/v1'],
    ['https://my-speech.cognitiveservices.azure.com', 'https://my-speech.cognitiveservices.azure.com/cognitiveservices/v1'],
    ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010/cognitiveservices/v1'],
    ['http://127.0.0.1:4010/proxy', 'http://127.0.0.1:4010/proxy/cognitiveservices/v1'],
  ])('%s → %s', (apiBase, expected) => {
    expect(synthesisUrl(apiBase)).toBe(expected);
  });
});

describe('toProviderRequest (Azure AI Speech)', () => {
  it('sends SSML with the key, the output format and a User-Agent', () => {
    const call = toProviderRequest(speech({ speed: 1.25 }), SETTINGS);
    expect(call.url).toBe('https://eastus.tts.speech.microsoft.com/cognitiveservices/v1');
    expect(call.headers).toEqual({
      'Ocp-Apim-Subscription-Key': 'k-123',
      'Content-Type': 'application/ssml+xml',
      'X-Microsoft-OutputFormat': 'audio-24khz-96kbitrate-mono-mp3',
      'User-Agent': 'tts-gateway',
    });
    expect(readSsml(call.body)).toEqual({
      lang: 'en-US',
      voices: [{ name: 'en-US-JennyNeural', lang: undefined, rates: ['+25%'], expressAs: undefined, text: 'Hello there.' }],
    });
    expect(call.warnings).toEqual([]);
  });

  it('sends a token as Bearer instead of the key header', () => {
    const call = toProviderRequest(speech(), { ...SETTINGS, credential: { kind: 'token', token: 'eyJ0' } });
    expect(call.headers['Authorization']).toBe('Bearer eyJ0');
    expect(call.headers['Ocp-Apim-Subscription-Key']).toBeUndefined();
  });

  const expected: Record<ResponseFormat, [string, object]> = {
    mp3: ['audio-24khz-96kbitrate-mono-mp3', { format: 'mp3', sampleRate: 24_000, channels: 1 }],
    opus: ['ogg-24khz-16bit-mono-opus', { format: 'opus', sampleRate: 24_000, channels: 1 }],
    pcm: ['raw-24khz-16bit-mono-pcm', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    wav: ['raw-24khz-16bit-mono-pcm', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    aac: ['raw-24khz-16bit-mono-pcm', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    flac: ['raw-24khz-16bit-mono-pcm', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
  };
  it.each(RESPONSE_FORMATS)('asks for a real output format for %s and states its encoding', (format) => {
    const call = toProviderRequest(speech({ format }), SETTINGS);
    const [header, encoding] = expected[format];
    expect(call.headers['X-Microsoft-OutputFormat']).toBe(header);
    expect(AZURE_OUTPUT_FORMATS.has(header)).toBe(true);
    expect(call.encoding).toEqual(encoding);
  });

  it("maps all 13 OpenAI voices to distinct Azure voices, LiteLLM's six included", () => {
    const openAIVoices = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
    const mapped = openAIVoices.map((voice) => readSsml(toProviderRequest(speech({ voice }), SETTINGS).body).voices[0]?.name);
    expect(new Set(mapped).size).toBe(13);
    expect(Object.keys(AZURE_SPEECH_VOICES).sort()).toEqual([...openAIVoices].sort());
    expect(mapped.slice(4, 8)).toEqual(['en-US-GuyNeural', 'en-GB-RyanNeural', 'en-US-DavisNeural', 'en-US-AmberNeural']);
  });

  it('passes other voice names through and takes the language from them', () => {
    const ssml = readSsml(toProviderRequest(speech({ voice: 'fr-FR-DeniseNeural' }), SETTINGS).body);
    expect(ssml.lang).toBe('fr-FR');
    expect(ssml.voices[0]?.name).toBe('fr-FR-DeniseNeural');
  });

  it.each([
    [4, 2, '+100%'],
    [0.25, 0.5, '-50%'],
  ])('clamps speed %d to %d with a warning', (requested, applied, rate) => {
    const call = toProviderRequest(speech({ speed: requested }), SETTINGS);
    expect(readSsml(call.body).voices[0]?.rates).toEqual([rate]);
    expect(call.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested, applied }]);
  });

  it('warns that instructions are not supported', () => {
    expect(toProviderRequest(speech({ instructions: 'Speak softly' }), SETTINGS).warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' }),
    ]);
  });

  it('applies the deployment style, degree, role and language', () => {
    const call = toProviderRequest(speech(), { ...SETTINGS, style: { style: 'cheerful', styleDegree: '2', role: 'Girl', lang: 'es-ES' } });
    const voice = readSsml(call.body).voices[0];
    expect(voice?.expressAs).toEqual({ style: 'cheerful', styledegree: '2', role: 'Girl' });
    expect(voice?.lang).toBe('es-ES');
  });

  it('sends SSML the client wrote verbatim and says voice and speed are its own', () => {
    const input =
      "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'><voice name='en-US-GuyNeural'><break time='500ms'/>Hi</voice></speak>";
    const call = toProviderRequest(speech({ input, speed: 1.5 }), SETTINGS);
    expect(call.body).toBe(input);
    expect(call.warnings.map((warning) => warning.type === 'unsupported-setting' && warning.setting)).toEqual(['voice', 'speed']);
  });

  it('escapes text that only mentions <speak>', () => {
    const call = toProviderRequest(speech({ input: 'Type <speak> to begin & enjoy.' }), SETTINGS);
    expect(readSsml(call.body).voices[0]?.text).toBe('Type <speak> to begin & enjoy.');
  });

  it('drops control characters with a warning instead of sending XML Azure refuses', () => {
    const call = toProviderRequest(speech({ input: 'bell\u0007 here' }), SETTINGS);
    expect(readSsml(call.body).voices[0]?.text).toBe('bell here');
    expect(call.warnings).toEqual([{ type: 'other', message: expect.stringContaining('1 control character') }]);
  });
});
