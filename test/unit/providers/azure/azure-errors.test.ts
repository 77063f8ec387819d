import { describe, expect, it } from 'vitest';
import { readAzureFailure, retryAfterFromMessage } from '../../../../src/providers/azure/azure-errors.js';

const azure = (code: string, message: string): string => JSON.stringify({ error: { code, message } });
const failure = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers) });
const THROTTLED =
  'Requests to the Speech_Create Operation under Azure OpenAI API version 2025-03-01-preview have exceeded call rate limit of your current AIServices S0 pricing tier. Please retry after 12 seconds.';

describe('retryAfterFromMessage', () => {
  it.each([
    [THROTTLED, 12_000],
    ['Rate limit is exceeded. Try again in 2 seconds.', 2000],
    ['Please retry after 1 second.', 1000],
    ['Something else went wrong.', undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (message, expected) => {
    expect(retryAfterFromMessage(message)).toBe(expected);
  });
});

describe('readAzureFailure', () => {
  it('takes the wait from the message when no header gives it', () => {
    expect(readAzureFailure(failure(429, azure('429', THROTTLED)))).toMatchObject({
      retryAfterMs: 12_000,
      message: expect.stringContaining('Please retry after 12 seconds'),
    });
  });

  it('prefers retry-after-ms and retry-after headers over the message', () => {
    expect(readAzureFailure(failure(429, azure('429', THROTTLED), { 'retry-after-ms': '2500' })).retryAfterMs).toBe(2500);
    expect(readAzureFailure(failure(429, azure('429', THROTTLED), { 'retry-after': '3' })).retryAfterMs).toBe(3000);
  });

  it('reads no wait from the message of a non-429', () => {
    expect(readAzureFailure(failure(500, azure('InternalServerError', 'Please retry after 12 seconds.'))).retryAfterMs).toBeUndefined();
  });

  it('reads the content filter, with or without the inner code, as content_rejected', () => {
    const body = JSON.stringify({ error: { code: 'content_filter', message: 'filtered', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation' } } });
    expect(readAzureFailure(failure(400, body))).toEqual({ kind: 'content_rejected', message: 'filtered (ResponsibleAIPolicyViolation)' });
    expect(readAzureFailure(failure(400, azure('content_filter', 'filtered'))).kind).toBe('content_rejected');
  });

  it('reads a spent quota, in either spelling, as quota_exceeded', () => {
    expect(readAzureFailure(failure(429, azure('insufficient_quota', 'quota'))).kind).toBe('quota_exceeded');
    expect(readAzureFailure(failure(429, azure('InsufficientQuota', 'quota'))).kind).toBe('quota_exceeded');
  });

  it('reads DeploymentNotFound as the deployment being unusable', () => {
    expect(readAzureFailure(failure(404, azure('DeploymentNotFound', 'The API deployment for this resource does not exist.'))).kind).toBe('unavailable');
  });

  it('leaves auth to the status mapping and keeps the message', () => {
    expect(readAzureFailure(failure(401, azure('401', 'Access denied due to invalid subscription key.')))).toEqual({
      message: 'Access denied due to invalid subscription key. (401)',
    });
  });
});
