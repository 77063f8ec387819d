/**
 * Just enough SSML checking for the fake to reject what Polly rejects (InvalidSsmlException):
 * well-formed XML under one `<speak>`, valid entities, and `<prosody rate>` within 20–200%.
 * Also counts the billed characters: the text, without tags.
 */
export type SsmlReading =
  | { readonly ok: true; readonly billedCharacters: number; readonly rates: readonly string[] /** The spoken text, entities decoded. */; readonly text: string }
  | { readonly ok: false; readonly reason: string };

const TAG = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>$/;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const BAD_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const DECODED: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const PRESET_RATES = new Set(['x-slow', 'slow', 'medium', 'fast', 'x-fast']);

export function readSsml(document: string): SsmlReading {
  const parts = document.replace(/^\s*<\?xml[^>]*\?>/, '').split(/(<[^<>]*>)/);
  const open: string[] = [];
  const rates: string[] = [];
  let text = '';
  let closedRoot = false;
  for (const part of parts) {
    if (part === '') continue;
    if (!part.startsWith('<')) {
      if (part.includes('<') || part.includes('>')) return { ok: false, reason: 'unescaped < or > in text' };
      if (BAD_ENTITY.test(part)) return { ok: false, reason: 'an & that starts no entity' };
      if (open.length === 0 && part.trim() !== '') return { ok: false, reason: 'text outside <speak>' };
      text += part.replace(
        ENTITY,
        (entity) => DECODED[entity] ?? String.fromCodePoint(Number(entity.startsWith('&#x') ? `0x${entity.slice(3, -1)}` : entity.slice(2, -1))),
      );
      continue;
    }
    const tag = TAG.exec(part);
    if (tag === null) return { ok: false, reason: `malformed tag ${part}` };
    const closing = tag[1] ?? '';
    const name = tag[2] ?? '';
    const attributes = tag[3] ?? '';
    const selfClosing = tag[4] ?? '';
    if (closedRoot) return { ok: false, reason: 'content after </speak>' };
    if (open.length === 0 && name !== 'speak') return { ok: false, reason: 'the root element must be <speak>' };
    if (closing === '/') {
      if (open.pop() !== name) return { ok: false, reason: `</${name}> closes nothing open` };
      if (open.length === 0) closedRoot = true;
      continue;
    }
    for (const match of attributes.matchAll(ATTRIBUTE)) {
      const value = match[2] ?? match[3] ?? '';
      if (name === 'prosody' && match[1] === 'rate') {
        const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
        if (!PRESET_RATES.has(value) && (percent === null || Number(percent[1]) < 20 || Number(percent[1]) > 200)) {
          return { ok: false, reason: `prosody rate "${value}" is not a preset nor between 20% and 200%` };
        }
        rates.push(value);
      }
    }
    if (selfClosing !== '/') open.push(name);
  }
  if (open.length > 0 || !closedRoot) return { ok: false, reason: 'the document is not closed' };
  return { ok: true, billedCharacters: text.length, rates, text };
}
