/**
 * Polly has no speed field: speed goes through SSML `<prosody rate="n%">`, which every engine
 * honours between 20% and 200% (https://docs.aws.amazon.com/polly/latest/dg/prosody-tag.html).
 */
export const MIN_PROSODY_RATE = 0.2;
export const MAX_PROSODY_RATE = 2;

/** LiteLLM's test for input that already is SSML. */
export function isSsml(input: string): boolean {
  return input.includes('<speak>') || input.includes('<speak ');
}

const RESERVED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Plain text made safe inside SSML (https://docs.aws.amazon.com/polly/latest/dg/escapees.html). */
function escapeSsml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => RESERVED[character] ?? character);
}

/** Plain text spoken at `rate` (1 = normal), as an SSML document. */
export function withProsodyRate(text: string, rate: number): string {
  return `<speak><prosody rate="${Math.round(rate * 100)}%">${escapeSsml(text)}</prosody></speak>`;
}
