import { describe, expect, it } from 'vitest';
import { readElevenLabsFailure } from '../../../../src/providers/elevenlabs/elevenlabs-errors.js';

const failure = (status: number, body: unknown) => ({ status, headers: new Headers(), body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('readElevenLabsFailure', () => {
  it('reads a 401 quota_exceeded as a spent quota, not an auth failure', () => {
    const reading = readElevenLabsFailure(failure(401, { detail: { status: 'quota_exceeded', message: 'This request exceeds your quota of 10000.' } }));
    expect(reading).toEqual({ kind: 'quota_exceeded', message: 'quota_exceeded: This request exceeds your quota of 10000.' });
  });

  it('reads invalid_api_key as auth', () => {
    expect(readElevenLabsFailure(failure(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } })).kind).toBe('auth');
  });

  it.each(['too_many_concurrent_requests', 'system_busy'])('reads 429 %s as rate_limited', (status) => {
    expect(readElevenLabsFailure(failure(429, { detail: { status, message: 'busy' } })).kind).toBe('rate_limited');
  });

  it('reads the newer detail.code shape', () => {
    expect(
      readElevenLabsFailure(failure(401, { detail: { type: 'authentication_error', code: 'quota_exceeded', message: 'Out of credits', request_id: 'r1' } })),
    ).toEqual({ kind: 'quota_exceeded', message: 'quota_exceeded: Out of credits' });
  });

  it('lists 422 validation problems as an invalid request', () => {
    const reading = readElevenLabsFailure(
      failure(422, {
        detail: [
          { loc: ['body', 'voice_settings', 'speed'], msg: 'Input should be less than or equal to 1.2', type: 'less_than_equal' },
          { loc: ['body', 'text'], msg: 'Field required' },
        ],
      }),
    );
    expect(reading).toEqual({
      kind: 'invalid_request',
      message: 'invalid request (body.voice_settings.speed: Input should be less than or equal to 1.2; body.text: Field required)',
    });
  });

  it('keeps the message of codes the status already explains', () => {
    expect(readElevenLabsFailure(failure(400, { detail: { status: 'max_character_limit_exceeded', message: 'over 10000 characters' } }))).toEqual({
      message: 'max_character_limit_exceeded: over 10000 characters',
    });
    expect(readElevenLabsFailure(failure(404, { detail: 'Not Found' }))).toEqual({ message: 'Not Found' });
  });

  it('falls back to the status for bodies that are not ElevenLabs JSON', () => {
    expect(readElevenLabsFailure(failure(502, '<html>Bad Gateway</html>'))).toEqual({});
    expect(readElevenLabsFailure(failure(500, { error: 'x' }))).toEqual({});
  });
});
