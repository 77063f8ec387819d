import { descendants, parseXml, textOf, type XmlElement } from './xml.js';

/** What one `<voice>` of an SSML request asked for, as the fake understood it. */
interface SsmlVoice {
  readonly name: string;
  readonly lang: string | undefined;
  /** Every `<prosody rate>` inside the voice, outermost first. */
  readonly rates: readonly string[];
  readonly expressAs: Readonly<Record<string, string>> | undefined;
  /** The spoken text, entities decoded and markup removed. */
  readonly text: string;
}

export interface SsmlRequest {
  readonly lang: string;
  readonly voices: readonly SsmlVoice[];
}

class SsmlError extends Error {
  override readonly name = 'SsmlError';
}

const SYNTHESIS_NAMESPACE = 'http://www.w3.org/2001/10/synthesis';
const MSTTS_NAMESPACES = new Set(['https://www.w3.org/2001/mstts', 'http://www.w3.org/2001/mstts']);
/** Azure's voice names: locale, optional variant, then the name (`en-US-JennyNeural`, `en-US-Ava:DragonHDLatestNeural`). */
const VOICE_NAME = /^[a-z]{2,3}-[A-Za-z]{2,4}(-[A-Za-z]+)?-[A-Za-z0-9:]+$/;
/** `<prosody rate>`: a multiplier, a relative percentage, or a named rate (speech-synthesis-markup-voice.md). */
const RATE = /^(?:[+-]?\d+(?:\.\d+)?%|\d+(?:\.\d+)?|x-slow|slow|medium|fast|x-fast|default)$/;
/** Azure's limit on distinct <voice> and <audio> elements per request. */
const MAX_VOICES = 50;

/** Reads an SSML body as Azure would, throwing `SsmlError` (or `MalformedXmlError`) for what it refuses. */
export function readSsml(body: string): SsmlRequest {
  const root = parseXml(body);
  if (root.name !== 'speak') throw new SsmlError(`the root element is <${root.name}>, not <speak>`);
  if (root.attributes['version'] !== '1.0') throw new SsmlError('<speak> needs version="1.0"');
  if (root.attributes['xmlns'] !== SYNTHESIS_NAMESPACE) throw new SsmlError(`<speak> needs xmlns="${SYNTHESIS_NAMESPACE}"`);
  const lang = root.attributes['xml:lang'];
  if (lang === undefined || lang === '') throw new SsmlError('<speak> needs xml:lang');
  checkPrefixes(root, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
  const voices: SsmlVoice[] = [];
  for (const child of root.children) {
    if (typeof child === 'string') {
      if (child.trim() !== '') throw new SsmlError('text outside a <voice> element');
      continue;
    }
    if (child.name !== 'voice') continue;
    voices.push(readVoice(child));
  }
  if (voices.length === 0) throw new SsmlError('no <voice> element');
  if (voices.length > MAX_VOICES) throw new SsmlError(`more than ${MAX_VOICES} <voice> elements`);
  if (voices.every((voice) => voice.text.trim() === '')) throw new SsmlError('nothing to speak');
  return { lang, voices };
}

function readVoice(voice: XmlElement): SsmlVoice {
  const name = voice.attributes['name'];
  if (name === undefined || !VOICE_NAME.test(name)) throw new SsmlError(`<voice name="${name ?? ''}"> is not a voice name`);
  const rates: string[] = [];
  let expressAs: Record<string, string> | undefined;
  for (const element of descendants(voice)) {
    if (element.name === 'voice' && element !== voice) throw new SsmlError('<voice> inside <voice>');
    if (element.name === 'prosody' && element.attributes['rate'] !== undefined) {
      const rate = element.attributes['rate'];
      if (!RATE.test(rate)) throw new SsmlError(`<prosody rate="${rate}"> is not a rate`);
      rates.push(rate);
    }
    if (element.name === 'mstts:express-as') expressAs = { ...element.attributes };
  }
  return { name, lang: voice.attributes['xml:lang'], rates, expressAs, text: textOf(voice) };
}

/** Every prefixed element or attribute must use a prefix declared on it or above it. */
function checkPrefixes(element: XmlElement, inScope: ReadonlyMap<string, string>): void {
  const scope = new Map(inScope);
  for (const [attribute, value] of Object.entries(element.attributes)) {
    if (attribute.startsWith('xmlns:')) scope.set(attribute.slice(6), value);
  }
  const prefixOf = (name: string): string | undefined => (name.includes(':') ? name.slice(0, name.indexOf(':')) : undefined);
  for (const name of [element.name, ...Object.keys(element.attributes)]) {
    const prefix = prefixOf(name);
    if (prefix === undefined || prefix === 'xmlns') continue;
    const namespace = scope.get(prefix);
    if (namespace === undefined) throw new SsmlError(`prefix "${prefix}" of "${name}" is not declared`);
    if (prefix === 'mstts' && !MSTTS_NAMESPACES.has(namespace)) throw new SsmlError(`prefix "mstts" is bound to "${namespace}"`);
  }
  for (const child of element.children) if (typeof child !== 'string') checkPrefixes(child, scope);
}
