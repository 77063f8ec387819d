import { describe, expect, it } from 'vitest';
import { RESPONSE_FORMATS } from '../../../../src/audio/formats.js';
import { POLLY_ENGINES } from '../../../../src/providers/aws-polly/polly-engines.js';
import { toProviderRequest, type PollySettings } from '../../../../src/providers/aws-polly/polly-request.js';
import { OPENAI_VOICES_BY_ENGINE } from '../../../../src/providers/aws-polly/polly-voices.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { FAKE_POLLY_VOICES } from '../../../fakes/aws-polly/voices.js';

const NEURAL: PollySettings = { engine: 'neural' };
const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

function speech(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, ...overrides };
}

describe('toProviderRequest (Polly SynthesizeSpeech)', () => {
  it('sends plain text on the deployment engine with the mapped voice', () => {
    const { input, encoding, warnings } = toProviderRequest(speech(), NEURAL);
    expect(input).toEqual({ Engine: 'neural', OutputFormat: 'mp3', SampleRate: '24000', Text: 'Hello there.', TextType: 'text', VoiceId: 'Joanna' });
    expect(encoding).toEqual({ format: 'mp3', sampleRate: 24_000, channels: 1 });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['mp3', 'mp3', '24000', { format: 'mp3', sampleRate: 24_000, channels: 1 }],
    ['aac', 'mp3', '24000', { format: 'mp3', sampleRate: 24_000, channels: 1 }],
    ['opus', 'ogg_opus', '48000', { format: 'opus', sampleRate: 48_000, channels: 1 }],
    ['pcm', 'pcm', '16000', { format: 'pcm', sampleRate: 16_000, channels: 1 }],
    ['wav', 'pcm', '16000', { format: 'pcm', sampleRate: 16_000, channels: 1 }],
    ['flac', 'pcm', '16000', { format: 'pcm', sampleRate: 16_000, channels: 1 }],
  ] as const)('asks for %s as %s at %s Hz and states it', (format, outputFormat, sampleRate, encoding) => {
    const request = toProviderRequest(speech({ format }), NEURAL);
    expect(request.input.OutputFormat).toBe(outputFormat);
    expect(request.input.SampleRate).toBe(sampleRate);
    expect(request.encoding).toEqual(encoding);
  });

  it('covers every response format', () => {
    for (const format of RESPONSE_FORMATS) expect(toProviderRequest(speech({ format }), NEURAL).input.OutputFormat).toBeDefined();
  });

  it('maps OpenAI voices per engine and passes native voices through', () => {
    expect(toProviderRequest(speech({ voice: 'alloy' }), { engine: 'long-form' }).input.VoiceId).toBe('Danielle');
    expect(toProviderRequest(speech({ voice: 'onyx' }), { engine: 'generative' }).input.VoiceId).toBe('Matthew');
    expect(toProviderRequest(speech({ voice: 'onyx' }), { engine: 'standard' }).input.VoiceId).toBe('Brian');
    expect(toProviderRequest(speech({ voice: 'Shimmer' }), NEURAL).input.VoiceId).toBe('Kendra');
    expect(toProviderRequest(speech({ voice: 'Lupe' }), NEURAL).input.VoiceId).toBe('Lupe');
  });

  it.each(POLLY_ENGINES)('maps all 13 OpenAI voices to voices the %s engine has', (engine) => {
    const table = OPENAI_VOICES_BY_ENGINE[engine];
    expect(Object.keys(table).sort()).toEqual([...OPENAI_VOICES].sort());
    for (const voice of Object.values(table)) expect(FAKE_POLLY_VOICES[voice], `${voice} on ${engine}`).toContain(engine);
  });

  it('keeps LiteLLM’s six voices where the engine has them', () => {
    const litellm = { alloy: 'Joanna', echo: 'Matthew', fable: 'Amy', onyx: 'Brian', nova: 'Ivy', shimmer: 'Kendra' };
    expect(OPENAI_VOICES_BY_ENGINE.standard).toMatchObject(litellm);
    expect(OPENAI_VOICES_BY_ENGINE.neural).toMatchObject(litellm);
  });

  it('speaks at another speed through SSML prosody, escaping the text', () => {
    const { input, warnings } = toProviderRequest(speech({ input: `Tom & Jerry's "<show>"`, speed: 1.5 }), NEURAL);
    expect(input.TextType).toBe('ssml');
    expect(input.Text).toBe('<speak><prosody rate="150%">Tom &amp; Jerry&apos;s &quot;&lt;show&gt;&quot;</prosody></speak>');
    expect(warnings).toEqual([]);
  });

  it('clamps speed to Polly’s 20–200% and says so', () => {
    const fast = toProviderRequest(speech({ speed: 3 }), NEURAL);
    expect(fast.input.Text).toBe('<speak><prosody rate="200%">Hello there.</prosody></speak>');
    expect(fast.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested: 3, applied: 2 }]);
    const slow = toProviderRequest(speech({ speed: 0.25 }), NEURAL);
    expect(slow.input.Text).toBe('<speak><prosody rate="25%">Hello there.</prosody></speak>');
    expect(slow.warnings).toEqual([]);
  });

  it('sends SSML input as SSML, and warns that it cannot add a speed to it', () => {
    const ssml = '<speak>Hi <break time="1s"/> there</speak>';
    expect(toProviderRequest(speech({ input: ssml }), NEURAL).input).toMatchObject({ Text: ssml, TextType: 'ssml' });
    const faster = toProviderRequest(speech({ input: ssml, speed: 1.2 }), NEURAL);
    expect(faster.input).toMatchObject({ Text: ssml, TextType: 'ssml' });
    expect(faster.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'speed' })]);
  });

  it('falls back to plain text when escaping would pass the 6,000-character limit', () => {
    const input = '&'.repeat(1500);
    const { input: sent, warnings } = toProviderRequest(speech({ input, speed: 1.1 }), NEURAL);
    expect(sent).toMatchObject({ Text: input, TextType: 'text' });
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'speed' })]);
  });

  it('warns that instructions are not supported', () => {
    expect(toProviderRequest(speech({ instructions: 'Cheerful' }), NEURAL).warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' }),
    ]);
  });

  it('passes the deployment’s language code and lexicons', () => {
    const { input } = toProviderRequest(speech({ voice: 'Aditi' }), { engine: 'standard', languageCode: 'hi-IN', lexiconNames: ['names'] });
    expect(input).toMatchObject({ LanguageCode: 'hi-IN', LexiconNames: ['names'], VoiceId: 'Aditi' });
  });
});
