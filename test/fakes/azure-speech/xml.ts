/**
 * A strict reader for the XML subset SSML uses (elements, attributes, text, the five named
 * entities and character references, comments, CDATA, an XML declaration). Anything not
 * well-formed throws, as Azure refuses a malformed SSML body with 400. No DTDs: Azure does not
 * take them and they are how entity tricks get in.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: ReadonlyArray<XmlElement | string>;
}

class MalformedXmlError extends Error {
  override readonly name = 'MalformedXmlError';
}

const NAME = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
const WHITESPACE = /[ \t\r\n]*/y;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let position = 0;
  const fail = (reason: string): never => {
    throw new MalformedXmlError(`${reason} at offset ${position}`);
  };
  const startsWith = (text: string): boolean => source.startsWith(text, position);
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = position;
    WHITESPACE.exec(source);
    position = WHITESPACE.lastIndex;
  };
  const readName = (): string => {
    NAME.lastIndex = position;
    const match = NAME.exec(source);
    if (match === null) return fail('expected a name');
    position = NAME.lastIndex;
    return match[0];
  };
  const skipUntil = (terminator: string, what: string): string => {
    const end = source.indexOf(terminator, position);
    if (end === -1) fail(`unterminated ${what}`);
    const content = source.slice(position, end);
    position = end + terminator.length;
    return content;
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;&\s]*);?/g, (whole, reference: string) => {
      if (!whole.endsWith(';')) return fail(`bare "&" in "${raw.slice(0, 40)}"`);
      const named = NAMED_ENTITIES[reference];
      if (named !== undefined) return named;
      const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(reference);
      if (numeric === null) return fail(`unknown entity "&${reference};"`);
      const codePoint = Number.parseInt(numeric[1] ?? (numeric[2] as string), numeric[1] === undefined ? 10 : 16);
      if (codePoint < 0x9 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return fail(`"&${reference};" is not an XML character`);
      return String.fromCodePoint(codePoint);
    });
  const skipMisc = (): void => {
    for (;;) {
      skipWhitespace();
      if (startsWith('<!--')) {
        position += 4;
        skipUntil('-->', 'comment');
      } else if (startsWith('<?')) {
        position += 2;
        if (readName().toLowerCase() === 'xml' && position > 6) fail('XML declaration not at the start');
        skipUntil('?>', 'processing instruction');
      } else return;
    }
  };
  const readElement = (): XmlElement => {
    if (!startsWith('<')) fail('expected "<"');
    position += 1;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = position;
      skipWhitespace();
      if (startsWith('/>')) {
        position += 2;
        return { name, attributes, children: [] };
      }
      if (startsWith('>')) {
        position += 1;
        break;
      }
      if (position === before) fail('expected whitespace between attributes');
      const attribute = readName();
      skipWhitespace();
      if (!startsWith('=')) fail(`attribute "${attribute}" has no value`);
      position += 1;
      skipWhitespace();
      const quote = source[position];
      if (quote !== '"' && quote !== "'") return fail(`attribute "${attribute}" is not quoted`);
      position += 1;
      const raw = skipUntil(quote, `attribute "${attribute}"`);
      if (raw.includes('<')) fail(`"<" inside attribute "${attribute}"`);
      if (attribute in attributes) fail(`attribute "${attribute}" repeated`);
      attributes[attribute] = decode(raw);
    }
    const children: Array<XmlElement | string> = [];
    for (;;) {
      if (position >= source.length) fail(`element <${name}> is not closed`);
      if (startsWith('</')) {
        position += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipWhitespace();
        if (!startsWith('>')) fail('expected ">"');
        position += 1;
        return { name, attributes, children };
      }
      if (startsWith('<!--')) {
        position += 4;
        skipUntil('-->', 'comment');
      } else if (startsWith('<![CDATA[')) {
        position += 9;
        children.push(skipUntil(']]>', 'CDATA section'));
      } else if (startsWith('<!')) {
        fail('declarations are not allowed');
      } else if (startsWith('<?')) {
        position += 2;
        skipUntil('?>', 'processing instruction');
      } else if (startsWith('<')) {
        children.push(readElement());
      } else {
        const next = source.indexOf('<', position);
        const raw = source.slice(position, next === -1 ? source.length : next);
        if (raw.includes(']]>')) fail('"]]>" in text');
        position += raw.length;
        children.push(decode(raw));
      }
    }
  };

  if (source.startsWith('\uFEFF')) position = 1;
  skipMisc();
  if (startsWith('<!')) fail('declarations are not allowed');
  const root = readElement();
  skipMisc();
  if (position !== source.length) fail('content after the root element');
  return root;
}

/** Every element under `element` (itself included), depth first. */
export function* descendants(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of element.children) if (typeof child !== 'string') yield* descendants(child);
}

/** The decoded text inside `element`, markup removed. */
export function textOf(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}
