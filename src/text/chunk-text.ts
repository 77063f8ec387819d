/**
 * Splits text longer than a provider accepts into pieces of at most `limit` characters,
 * cutting between sentences where possible, else between words, else anywhere. The pieces
 * joined give back the text (whitespace-only pieces aside), so characters still add up.
 */
export function chunkText(text: string, limit: number, locale = 'en'): string[] {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`chunk limit must be a positive integer, not ${limit}`);
  if (text.length <= limit) return [text];
  const segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  const pieces: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current.trim() !== '') pieces.push(current);
    current = '';
  };
  for (const { segment } of segmenter.segment(text)) {
    if (current.length + segment.length <= limit) {
      current += segment;
      continue;
    }
    flush();
    if (segment.length <= limit) {
      current = segment;
      continue;
    }
    for (const part of splitLongSentence(segment, limit)) {
      if (current.length + part.length > limit) flush();
      current += part;
    }
  }
  flush();
  return pieces;
}

/** A sentence longer than the limit: cut after whitespace, or hard when one word is too long. */
function splitLongSentence(sentence: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = sentence;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const lastSpace = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'), window.lastIndexOf('\t'));
    const cut = lastSpace > 0 ? lastSpace + 1 : limit;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== '') parts.push(rest);
  return parts;
}
