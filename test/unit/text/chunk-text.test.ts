import { describe, expect, it } from 'vitest';
import { chunkText } from '../../../src/text/chunk-text.js';

describe('chunkText', () => {
  it('keeps text within the limit whole', () => {
    expect(chunkText('One. Two.', 100)).toEqual(['One. Two.']);
  });

  it('cuts between sentences, never above the limit, and loses no character', () => {
    const text = Array.from({ length: 200 }, (_, index) => `Sentence number ${index} is here${index % 3 === 0 ? '!' : '.'} `).join('');
    const pieces = chunkText(text, 120);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(120);
      expect(piece.trimEnd()).toMatch(/[.!]$/);
    }
  });

  it('cuts an over-long sentence between words, and an over-long word anywhere', () => {
    const sentence = `${'word '.repeat(60)}end.`;
    const pieces = chunkText(sentence, 50);
    expect(pieces.join('')).toBe(sentence);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(50);
    expect(pieces.slice(0, -1).every((piece) => piece.endsWith(' '))).toBe(true);
    expect(chunkText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => chunkText('text', 0)).toThrow();
  });
});
