/**
 * Gemini TTS prebuilt voices (https://ai.google.dev/gemini-api/docs/speech-generation#voices),
 * the same 30 on the Gemini API and on Vertex AI.
 */
export const GEMINI_VOICES = [
  'Zephyr',
  'Puck',
  'Charon',
  'Kore',
  'Fenrir',
  'Leda',
  'Orus',
  'Aoede',
  'Callirrhoe',
  'Autonoe',
  'Enceladus',
  'Iapetus',
  'Umbriel',
  'Algieba',
  'Despina',
  'Erinome',
  'Algenib',
  'Rasalgethi',
  'Laomedeia',
  'Achernar',
  'Alnilam',
  'Schedar',
  'Gacrux',
  'Pulcherrima',
  'Achird',
  'Zubenelgenubi',
  'Vindemiatrix',
  'Sadachbia',
  'Sadaltager',
  'Sulafat',
] as const;
export type GeminiVoice = (typeof GEMINI_VOICES)[number];

/**
 * OpenAI voice names on Gemini TTS, each a distinct voice of a similar character (Google's own
 * one-word descriptions in parentheses). LiteLLM has no table: it sends the voice string as is,
 * so an OpenAI name fails there; any Gemini name still passes through unchanged here.
 */
export const OPENAI_TO_GEMINI_VOICE: Readonly<Record<string, GeminiVoice>> = {
  alloy: 'Kore', // firm
  ash: 'Orus', // firm
  ballad: 'Algieba', // smooth
  coral: 'Sulafat', // warm
  echo: 'Charon', // informative
  fable: 'Iapetus', // clear
  onyx: 'Algenib', // gravelly
  nova: 'Zephyr', // bright
  sage: 'Vindemiatrix', // gentle
  shimmer: 'Aoede', // breezy
  verse: 'Puck', // upbeat
  marin: 'Despina', // smooth
  cedar: 'Achird', // friendly
};

const CANONICAL = new Map<string, GeminiVoice>(GEMINI_VOICES.map((voice) => [voice.toLowerCase(), voice]));

/** An OpenAI name or one of the 30 Gemini voices, in any case. */
export function recognizesGeminiVoice(voice: string): boolean {
  const lower = voice.toLowerCase();
  return OPENAI_TO_GEMINI_VOICE[lower] !== undefined || CANONICAL.has(lower);
}

/** The `voiceName` to send: an OpenAI name mapped, a Gemini name in its canonical case, anything else unchanged. */
export function resolveGeminiVoice(voice: string): string {
  const lower = voice.toLowerCase();
  return OPENAI_TO_GEMINI_VOICE[lower] ?? CANONICAL.get(lower) ?? voice;
}
