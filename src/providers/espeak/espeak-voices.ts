/**
 * OpenAI voice names on the local engine. Each maps to a distinct espeak-ng voice variant
 * (present both in Debian's data and in the WASM build), applied to the deployment's
 * language, so `alloy` on `espeak/de` speaks German with the same character.
 */
export const OPENAI_VOICE_VARIANTS: Readonly<Record<string, string>> = {
  alloy: 'f3',
  ash: 'm3',
  ballad: 'm2',
  coral: 'f4',
  echo: 'm1',
  fable: 'm4',
  onyx: 'm7',
  nova: 'f2',
  sage: 'f1',
  shimmer: 'f5',
  verse: 'm5',
  marin: 'Annie',
  cedar: 'm6',
};

/** espeak-ng voice names: a language, optionally `+variant`. Never an option (no leading dash). */
const NATIVE_VOICE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}(\+[A-Za-z0-9_-]{1,40})?$/;

export function isNativeEspeakVoice(voice: string): boolean {
  return NATIVE_VOICE.test(voice);
}

/**
 * The voices a request may name for the local engine: an OpenAI name, or an espeak-ng voice
 * as its data files spell them, in lower case (`en-us`, `de`, `en-gb-scotland`, `mb-en1`),
 * optionally with a `+variant`. Capitalised names (Polly, Azure, Google) are not espeak's.
 */
const ESPEAK_VOICE_NAME = /^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[A-Za-z0-9_-]{1,40})?$/;

export function recognizesEspeakVoice(voice: string): boolean {
  return OPENAI_VOICE_VARIANTS[voice.toLowerCase()] !== undefined || ESPEAK_VOICE_NAME.test(voice);
}

/** The espeak-ng `-v` argument for a request voice on a deployment whose language is `language`. */
export function resolveEspeakVoice(voice: string, language: string): string | undefined {
  const variant = OPENAI_VOICE_VARIANTS[voice.toLowerCase()];
  if (variant !== undefined) return `${language}+${variant}`;
  return isNativeEspeakVoice(voice) ? voice : undefined;
}
