/**
 * SSML for Azure AI Speech, built as LiteLLM builds it (`transform_text_to_speech_request`):
 * `<speak><voice><[mstts:express-as]><prosody rate>text</prosody></…></voice></speak>`.
 * Text and attribute values are always XML-escaped, so no input can open an element.
 * https://learn.microsoft.com/azure/ai-services/speech-service/speech-synthesis-markup-structure
 */

/** `style`, `styledegree`, `role` and `lang`, the extra fields LiteLLM reads for Azure speech. */
export interface SsmlStyle {
  readonly style?: string;
  readonly styleDegree?: string;
  readonly role?: string;
  /** `xml:lang` on `<voice>`: the language a multilingual voice speaks. */
  readonly lang?: string;
}

export interface SsmlOptions extends SsmlStyle {
  readonly text: string;
  readonly voice: string;
  /** A `<prosody rate>` value such as `+25%`. */
  readonly rate: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string);
}

/**
 * Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab and
 * newlines, lone surrogates, U+FFFE/U+FFFF. Left in, Azure would refuse the whole document.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function withoutNonXmlCharacters(text: string): { readonly text: string; readonly removed: number } {
  let removed = 0;
  const cleaned = text.replace(NOT_XML, () => {
    removed += 1;
    return '';
  });
  return { text: cleaned, removed };
}

/**
 * True when the client sent an SSML document on purpose: the input starts with `<speak`
 * (after an optional XML declaration). LiteLLM passes any input containing `<speak>`
 * verbatim; requiring it at the start keeps a sentence that merely mentions the tag plain text.
 */
export function isSsmlDocument(input: string): boolean {
  return /^\s*(<\?xml[^>]*\?>\s*)?<speak[\s>]/.test(input);
}

/** Azure's relative rate for an OpenAI speed: 1.25 → `+25%`, 0.5 → `-50%`, 1 → `+0%`. */
export function prosodyRate(speed: number): string {
  const percent = Math.round((speed - 1) * 100);
  return `${percent < 0 ? '-' : '+'}${Math.abs(percent)}%`;
}

/** The language of an Azure voice name (`de-DE` in `de-DE-KatjaNeural`), for `<speak xml:lang>`. */
function voiceLocale(voice: string): string | undefined {
  return /^([a-z]{2,3}-[A-Za-z0-9]{2,4})-/.exec(voice)?.[1];
}

export function buildSsml(options: SsmlOptions): string {
  const expressAs = [
    options.style === undefined ? undefined : `style='${escapeXml(options.style)}'`,
    options.styleDegree === undefined ? undefined : `styledegree='${escapeXml(options.styleDegree)}'`,
    options.role === undefined ? undefined : `role='${escapeXml(options.role)}'`,
  ].filter((attribute) => attribute !== undefined);
  const namespaces = `xmlns='http://www.w3.org/2001/10/synthesis'${expressAs.length > 0 ? " xmlns:mstts='https://www.w3.org/2001/mstts'" : ''}`;
  // Azure requires xml:lang on <speak>; LiteLLM always writes en-US, the voice's own locale is truer.
  const speakLang = voiceLocale(options.voice) ?? 'en-US';
  const voiceLang = options.lang === undefined ? '' : ` xml:lang='${escapeXml(options.lang)}'`;
  const prosody = `<prosody rate='${escapeXml(options.rate)}'>${escapeXml(options.text)}</prosody>`;
  const content = expressAs.length > 0 ? `<mstts:express-as ${expressAs.join(' ')}>${prosody}</mstts:express-as>` : prosody;
  return `<speak version='1.0' ${namespaces} xml:lang='${escapeXml(speakLang)}'><voice name='${escapeXml(options.voice)}'${voiceLang}>${content}</voice></speak>`;
}
