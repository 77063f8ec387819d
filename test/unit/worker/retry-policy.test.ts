import { describe, expect, it } from 'vitest';
import { invalidRequest } from '../../../src/domain/errors.js';
import { ProviderError } from '../../../src/providers/spec/errors.js';
import { backoffDelay, readFailure, RetryLaterError } from '../../../src/worker/retry-policy.js';

describe('item retry policy', () => {
  it('retries rate limits with the provider hint, and never retries what the client got wrong', () => {
    const limited = readFailure(new ProviderError({ kind: 'rate_limited', provider: 'openai', message: 'slow down', retryAfterMs: 7000 }));
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7000, code: 'rate_limit_exceeded' });
    expect(readFailure(new ProviderError({ kind: 'auth', provider: 'openai', message: 'bad key' })).retryable).toBe(false);
    expect(readFailure(invalidRequest('no', 'voice')).retryable).toBe(false);
    expect(readFailure(new Error('disk hiccup')).retryable).toBe(true);
  });

  it('backs off exponentially with jitter, honouring a longer hint, within the cap', () => {
    expect(backoffDelay(1, 1000, 60_000, undefined, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(4, 1000, 60_000, undefined, () => 1)).toBe(8000);
    expect(backoffDelay(30, 1000, 60_000, undefined, () => 1)).toBe(60_000);
    expect(backoffDelay(1, 1000, 60_000, new RetryLaterError('wait', 9000), () => 0)).toBe(9000);
    expect(backoffDelay(1, 1000, 5000, new RetryLaterError('wait', 9000), () => 0)).toBe(5000);
  });
});
