import { describe, expect, it } from 'vitest';
import { classifyGoogleError, parseGoogleError, readGoogleFailure } from '../../../../src/providers/google/google-errors.js';

const RETRY = (delay: string) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
const QUOTA = (quotaId: string, quotaMetric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests') => ({
  '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
  violations: [{ quotaMetric, quotaId, quotaDimensions: { location: 'global', model: 'gemini-2.5-flash-preview-tts' } }],
});
const INFO = (reason: string, metadata: Record<string, string> = {}) => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata,
});
const QUOTA_WORDING =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';

const read = (status: number, error: Record<string, unknown>) =>
  readGoogleFailure({ status, headers: new Headers(), body: JSON.stringify({ error: { code: status, ...error } }) });

describe('Google error envelope', () => {
  it('reads a per-minute limit as rate_limited with the RetryInfo delay, despite the "quota" wording and QuotaFailure detail', () => {
    const reading = read(429, {
      status: 'RESOURCE_EXHAUSTED',
      message: QUOTA_WORDING,
      details: [QUOTA('GenerateRequestsPerMinutePerProjectPerModel-FreeTier'), RETRY('37s')],
    });
    expect(reading).toMatchObject({ kind: 'rate_limited', retryAfterMs: 37_000 });
    expect(reading.message).toContain('RESOURCE_EXHAUSTED');
  });

  it('reads fractional retry delays', () => {
    expect(read(429, { status: 'RESOURCE_EXHAUSTED', message: 'slow down', details: [RETRY('45.578569677s')] }).retryAfterMs).toBe(45_579);
  });

  it.each([
    [
      'a per-day QuotaFailure (with a RetryInfo all the same)',
      { status: 'RESOURCE_EXHAUSTED', message: QUOTA_WORDING, details: [QUOTA('GenerateRequestsPerDayPerProjectPerModel-FreeTier'), RETRY('52s')] },
    ],
    [
      'per-minute and per-day violations together',
      {
        status: 'RESOURCE_EXHAUSTED',
        message: QUOTA_WORDING,
        details: [QUOTA('GenerateContentInputTokensPerModelPerMinute-FreeTier'), QUOTA('GenerateRequestsPerDayPerProjectPerModel-FreeTier')],
      },
    ],
    [
      'a Vertex per_day metric in the message',
      {
        status: 'RESOURCE_EXHAUSTED',
        message:
          'Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_day_per_project_per_base_model with base model: gemini-2.5-flash-tts.',
      },
    ],
    [
      'a tier with a limit of 0',
      {
        status: 'RESOURCE_EXHAUSTED',
        message: `${QUOTA_WORDING}\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro-tts`,
      },
    ],
    [
      'a Cloud TTS ErrorInfo with a daily quota_limit',
      {
        status: 'RESOURCE_EXHAUSTED',
        message: "Quota exceeded for quota metric 'Characters'",
        details: [INFO('RATE_LIMIT_EXCEEDED', { quota_limit: 'CharactersPerDayPerProject' })],
      },
    ],
  ])('reads %s as quota_exceeded', (_name, error) => {
    expect(read(429, error).kind).toBe('quota_exceeded');
  });

  it.each([
    ['Vertex\'s bare "Resource exhausted"', { status: 'RESOURCE_EXHAUSTED', message: 'Resource exhausted. Please try again later.' }],
    [
      'a Cloud TTS per-minute ErrorInfo',
      {
        status: 'RESOURCE_EXHAUSTED',
        message: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'",
        details: [INFO('RATE_LIMIT_EXCEEDED', { quota_limit: 'RequestsPerMinutePerProject' })],
      },
    ],
  ])('reads %s as rate_limited without a hint', (_name, error) => {
    const reading = read(429, error);
    expect(reading.kind).toBe('rate_limited');
    expect(reading.retryAfterMs).toBeUndefined();
  });

  it.each([
    [400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', [], 'invalid_request'],
    [400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [INFO('API_KEY_INVALID')], 'auth'],
    [403, 'PERMISSION_DENIED', 'Cloud Text-to-Speech API has not been used in project 1', [INFO('SERVICE_DISABLED')], 'auth'],
    [401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', [], 'auth'],
    [403, 'PERMISSION_DENIED', 'Your API key was reported as leaked.', [], 'auth'],
    [400, 'INVALID_ARGUMENT', 'The request was blocked because the input text was flagged as containing sensitive or harmful content.', [], 'content_rejected'],
    [404, 'NOT_FOUND', 'models/gemini-9 is not found', [], 'invalid_request'],
    [400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.', [], 'unavailable'],
    [500, 'INTERNAL', 'An internal error has occurred.', [], 'unavailable'],
    [503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.', [], 'unavailable'],
    [504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.', [], 'timeout'],
  ])('maps HTTP %i %s ("%s") to %s', (status, code, message, details, kind) => {
    expect(read(status, { status: code, message, details }).kind).toBe(kind);
  });

  it("leaves a body that is not Google's envelope to the status defaults", () => {
    expect(readGoogleFailure({ status: 502, headers: new Headers(), body: '<html>Bad Gateway</html>' })).toEqual({});
    expect(readGoogleFailure({ status: 500, headers: new Headers(), body: '{"message":"nope"}' })).toEqual({});
  });

  it('reads an envelope wrapped in a one-element array', () => {
    const error = parseGoogleError(JSON.stringify([{ error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } }]));
    expect(error).toMatchObject({ status: 'UNAVAILABLE' });
    expect(classifyGoogleError(error as NonNullable<typeof error>)).toEqual({ kind: 'unavailable', message: 'UNAVAILABLE: busy' });
  });
});
