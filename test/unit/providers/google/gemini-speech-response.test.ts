import { describe, expect, it } from 'vitest';
import { parseAudioMimeType, readGeminiSpeechResponse } from '../../../../src/providers/google/gemini-speech-response.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';

const part = (bytes: number[], mimeType = 'audio/L16;codec=pcm;rate=24000') => ({ inlineData: { mimeType, data: Buffer.from(bytes).toString('base64') } });
const answer = (parts: unknown[], extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
  responseId: 'resp-1',
  ...extra,
});

function failure(json: unknown): ProviderError {
  try {
    readGeminiSpeechResponse(json, 'gemini');
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('parseAudioMimeType', () => {
  it.each([
    ['audio/L16;codec=pcm;rate=24000', { sampleRate: 24_000, channels: 1 }],
    ['audio/L16; codec=pcm; rate=16000', { sampleRate: 16_000, channels: 1 }],
    ['audio/pcm;rate=44100;channels=2', { sampleRate: 44_100, channels: 2 }],
    ['audio/l16', { sampleRate: 24_000, channels: 1 }],
  ])('reads %s', (mimeType, expected) => {
    expect(parseAudioMimeType(mimeType)).toEqual(expected);
  });

  it.each(['audio/wav', 'audio/mpeg', 'audio/L16;rate=abc', 'text/plain'])('refuses %s', (mimeType) => {
    expect(parseAudioMimeType(mimeType)).toBeUndefined();
  });
});

describe('readGeminiSpeechResponse', () => {
  it('joins the inlineData parts and states the rate the mimeType gives', () => {
    const result = readGeminiSpeechResponse(
      answer([part([1, 2], 'audio/L16;codec=pcm;rate=16000'), { text: 'ignored' }, part([3, 4], 'audio/L16;codec=pcm;rate=16000')]),
      'gemini',
    );
    expect([...result.audio]).toEqual([1, 2, 3, 4]);
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 16_000, channels: 1 });
    expect(result.responseId).toBe('resp-1');
  });

  it('refuses parts that disagree on their rate', () => {
    expect(failure(answer([part([1, 2]), part([3, 4], 'audio/L16;codec=pcm;rate=16000')])).kind).toBe('unavailable');
  });

  it('refuses audio that is not pcm', () => {
    const error = failure(answer([part([1, 2], 'audio/mpeg')]));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('audio/mpeg');
  });

  it('reads a blocked prompt as content_rejected', () => {
    const error = failure({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT', blockReasonMessage: 'nope' }, responseId: 'resp-2' });
    expect(error).toMatchObject({ kind: 'content_rejected', upstreamRequestId: 'resp-2' });
    expect(error.message).toContain('PROHIBITED_CONTENT');
  });

  it.each(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST'])('reads a candidate stopped for %s without audio as content_rejected', (finishReason) => {
    expect(failure({ candidates: [{ finishReason, index: 0 }] }).kind).toBe('content_rejected');
  });

  it('reads an answer without audio for another reason as unavailable (worth retrying)', () => {
    expect(failure({ candidates: [{ content: { role: 'model', parts: [{ text: 'I cannot speak that.' }] }, finishReason: 'OTHER' }] }).kind).toBe(
      'unavailable',
    );
    expect(failure({}).kind).toBe('unavailable');
  });

  it('reads a response that is not a GenerateContentResponse as unavailable', () => {
    expect(failure({ candidates: 'nope' }).kind).toBe('unavailable');
  });
});
