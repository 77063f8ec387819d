import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['30d', 30 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['1mo', 30 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0d', 'monthly', '1y', '-1h', '1.5h'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
