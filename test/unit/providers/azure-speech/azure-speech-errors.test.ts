import { describe, expect, it } from 'vitest';
import { readAzureSpeechFailure } from '../../../../src/providers/azure-speech/azure-speech-errors.js';

const failure = (status: number, body = '') => ({ status, headers: new Headers(), body });

describe('readAzureSpeechFailure', () => {
  it('explains a bare status', () => {
    expect(readAzureSpeechFailure(failure(401))).toEqual({ message: expect.stringContaining('another region') });
    expect(readAzureSpeechFailure(failure(415)).message).toContain('application/ssml+xml');
  });

  it('keeps a text body next to the explanation', () => {
    expect(readAzureSpeechFailure(failure(400, 'SSML parsing error: 0x80045003 ')).message).toMatch(
      /^Azure rejected the request: .*: SSML parsing error: 0x80045003$/,
    );
  });

  it('reads the free tier\'s 403 "Out of call volume quota" as a spent quota', () => {
    const body = JSON.stringify({ error: { code: '403', message: 'Out of call volume quota for TextToSpeech F0 pricing tier. Please retry after 3 days.' } });
    expect(readAzureSpeechFailure(failure(403, body)).kind).toBe('quota_exceeded');
  });

  it('leaves any other 403 and every other status to the default status mapping', () => {
    expect(readAzureSpeechFailure(failure(403, 'Forbidden')).kind).toBeUndefined();
    for (const status of [400, 401, 429, 500, 502, 503]) expect(readAzureSpeechFailure(failure(status)).kind).toBeUndefined();
  });
});
