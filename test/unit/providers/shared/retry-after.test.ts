import { describe, expect, it } from 'vitest';
import { parseResetDuration, parseProtobufDuration, parseRetryAfter } from '../../../../src/providers/shared/retry-after.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after-ms': '1500.5' }, 1501],
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Tue, 24 Nov 2026 12:00:30 GMT' }, 30_000],
    [{ 'x-ratelimit-reset-requests': '6m0s' }, 360_000],
    [{ 'x-ratelimit-reset-tokens': '20ms' }, 20],
    [{ 'x-ratelimit-reset': String(NOW / 1000 + 12) }, 12_000],
    // retry-after-ms wins over retry-after, as in the openai SDK.
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
  ])('reads %o as %i ms', (headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), NOW)).toBe(expected);
  });

  it('returns undefined without a hint or with garbage', () => {
    expect(parseRetryAfter(new Headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'x-ratelimit-reset-requests': '1 minute' }), NOW)).toBeUndefined();
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 24 Nov 2026 11:00:00 GMT' }), NOW)).toBe(0);
  });
});

describe('durations', () => {
  it('parses Go-style durations', () => {
    expect(parseResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseResetDuration('1s')).toBe(1000);
    expect(parseResetDuration('')).toBeUndefined();
    expect(parseResetDuration('5 s')).toBeUndefined();
  });
  it('parses protobuf durations', () => {
    expect(parseProtobufDuration('37s')).toBe(37_000);
    expect(parseProtobufDuration('1.25s')).toBe(1250);
    expect(parseProtobufDuration('37')).toBeUndefined();
  });
});

describe('rate-limit windows', () => {
  it('are read only for a rate-limited answer when the caller says which it is', () => {
    const headers = new Headers({ 'x-ratelimit-reset-requests': '1s' });
    expect(parseRetryAfter(headers, NOW, { rateLimited: true })).toBe(1000);
    expect(parseRetryAfter(headers, NOW, { rateLimited: false })).toBeUndefined();
    // retry-after itself is honoured on any status (a 503 may carry it).
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), NOW, { rateLimited: false })).toBe(3000);
  });
});
