import { GEMINI_VOICES } from '../google/gemini-voices.js';
import type { PollyEngine } from './polly-engines.js';

type OpenAIVoiceTable = Readonly<Record<string, string>>;

/**
 * OpenAI voice names on Polly, per engine, since a voice only speaks on the engines it was
 * built for (EngineNotSupportedException otherwise):
 * https://docs.aws.amazon.com/polly/latest/dg/available-voices.html
 * The first six are LiteLLM's table (alloy→Joanna, echo→Matthew, fable→Amy, onyx→Brian,
 * nova→Ivy, shimmer→Kendra) wherever the engine has that voice; LiteLLM uses them on every
 * engine, which fails on long-form and, for three of them, on generative.
 */
const STANDARD: OpenAIVoiceTable = {
  alloy: 'Joanna',
  ash: 'Joey',
  ballad: 'Geraint',
  coral: 'Kimberly',
  echo: 'Matthew',
  fable: 'Amy',
  onyx: 'Brian',
  nova: 'Ivy',
  sage: 'Salli',
  shimmer: 'Kendra',
  verse: 'Russell',
  marin: 'Emma',
  cedar: 'Joey',
};

const NEURAL: OpenAIVoiceTable = {
  alloy: 'Joanna',
  ash: 'Gregory',
  ballad: 'Stephen',
  coral: 'Kimberly',
  echo: 'Matthew',
  fable: 'Amy',
  onyx: 'Brian',
  nova: 'Ivy',
  sage: 'Salli',
  shimmer: 'Kendra',
  verse: 'Joey',
  marin: 'Ruth',
  cedar: 'Arthur',
};

/** Long-form has four English voices: Danielle, Gregory, Patrick and Ruth. */
const LONG_FORM: OpenAIVoiceTable = {
  alloy: 'Danielle',
  ash: 'Gregory',
  ballad: 'Patrick',
  coral: 'Ruth',
  echo: 'Gregory',
  fable: 'Ruth',
  onyx: 'Patrick',
  nova: 'Danielle',
  sage: 'Ruth',
  shimmer: 'Danielle',
  verse: 'Gregory',
  marin: 'Ruth',
  cedar: 'Patrick',
};

/** Generative English voices: Danielle, Joanna, Matthew, Ruth, Stephen (US), Amy (GB), Olivia (AU). */
const GENERATIVE: OpenAIVoiceTable = {
  alloy: 'Joanna',
  ash: 'Stephen',
  ballad: 'Stephen',
  coral: 'Ruth',
  echo: 'Matthew',
  fable: 'Amy',
  onyx: 'Matthew',
  nova: 'Danielle',
  sage: 'Ruth',
  shimmer: 'Danielle',
  verse: 'Stephen',
  marin: 'Olivia',
  cedar: 'Matthew',
};

export const OPENAI_VOICES_BY_ENGINE: Readonly<Record<PollyEngine, OpenAIVoiceTable>> = {
  standard: STANDARD,
  neural: NEURAL,
  'long-form': LONG_FORM,
  generative: GENERATIVE,
};

/**
 * Polly voice ids are one capitalised given name (`Joanna`, `Léa`, `Hiujin`). Gemini's voice
 * names have the same shape but are never Polly voices, so they are left out: a Gemini voice
 * must not fall back to a Polly deployment and fail there.
 */
const POLLY_VOICE_ID = /^\p{Lu}\p{Ll}+$/u;
const GEMINI_NAMES: ReadonlySet<string> = new Set(GEMINI_VOICES);

export function recognizesPollyVoice(voice: string): boolean {
  return OPENAI_VOICES_BY_ENGINE.standard[voice.toLowerCase()] !== undefined || (POLLY_VOICE_ID.test(voice) && !GEMINI_NAMES.has(voice));
}

/** The Polly `VoiceId` for a request voice: an OpenAI name mapped for the engine, anything else as is. */
export function resolvePollyVoice(voice: string, engine: PollyEngine): string {
  return OPENAI_VOICES_BY_ENGINE[engine][voice.toLowerCase()] ?? voice;
}
