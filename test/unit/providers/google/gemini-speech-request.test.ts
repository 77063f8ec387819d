import { describe, expect, it } from 'vitest';
import { toGeminiSpeechBody } from '../../../../src/providers/google/gemini-speech-request.js';
import { GEMINI_VOICES, OPENAI_TO_GEMINI_VOICE, resolveGeminiVoice } from '../../../../src/providers/google/gemini-voices.js';

const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

describe('Gemini voices', () => {
  it('maps all 13 OpenAI voices to 13 distinct prebuilt Gemini voices', () => {
    const mapped = OPENAI_VOICES.map(resolveGeminiVoice);
    expect(new Set(mapped).size).toBe(13);
    for (const voice of mapped) expect(GEMINI_VOICES).toContain(voice);
    expect(Object.keys(OPENAI_TO_GEMINI_VOICE).sort()).toEqual([...OPENAI_VOICES].sort());
  });

  it('has the 30 documented prebuilt voices', () => {
    expect(new Set(GEMINI_VOICES).size).toBe(30);
  });

  it('writes a Gemini voice in its canonical case and passes unknown names through', () => {
    expect(resolveGeminiVoice('ALLOY')).toBe('Kore');
    expect(resolveGeminiVoice('puck')).toBe('Puck');
    expect(resolveGeminiVoice('Zubenelgenubi')).toBe('Zubenelgenubi');
    expect(resolveGeminiVoice('SomeFutureVoice')).toBe('SomeFutureVoice');
  });
});

describe('toGeminiSpeechBody', () => {
  it('asks for audio only, with the mapped prebuilt voice and the text as the one user part', () => {
    const { body, warnings } = toGeminiSpeechBody({ input: 'Hello there.', voice: 'nova', speed: 1 });
    expect(body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello there.' }] }],
      generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Zephyr' } } } },
    });
    expect(warnings).toEqual([]);
  });

  it('puts instructions in front of the transcript as a style direction', () => {
    const { body, warnings } = toGeminiSpeechBody({ input: 'Have a wonderful day!', voice: 'Kore', speed: 1, instructions: '  Say cheerfully:  ' });
    expect(body.contents[0]?.parts[0]?.text).toBe('Say cheerfully: Have a wonderful day!');
    expect(warnings).toEqual([]);
  });

  it('ends the direction with a colon whatever punctuation it had', () => {
    expect(toGeminiSpeechBody({ input: 'Go.', voice: 'Kore', speed: 1, instructions: 'Speak slowly.' }).body.contents[0]?.parts[0]?.text).toBe(
      'Speak slowly: Go.',
    );
  });

  it('ignores blank instructions', () => {
    expect(toGeminiSpeechBody({ input: 'Plain.', voice: 'Kore', speed: 1, instructions: '   ' }).body.contents[0]?.parts[0]?.text).toBe('Plain.');
  });

  it('warns that speed cannot be honoured, and sends no speed anywhere', () => {
    const { body, warnings } = toGeminiSpeechBody({ input: 'Fast.', voice: 'Kore', speed: 1.5 });
    expect(warnings).toEqual([{ type: 'unsupported-setting', setting: 'speed', details: expect.stringContaining('no speaking-rate parameter') }]);
    expect(JSON.stringify(body)).not.toMatch(/speed|rate/i);
  });
});
