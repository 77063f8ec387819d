/**
 * OpenAI's built-in voices. Every other string is a custom voice: OpenAI takes those as an
 * object `{ "id": "voice_…" }` (openai-node `SpeechCreateParams.ID`), so a `voice_` id that
 * reached the gateway as a plain string (the endpoint accepts both shapes) goes back to the
 * object form here.
 */
export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;

export type OpenAIVoiceParameter = string | { readonly id: string };

const BUILT_IN: ReadonlySet<string> = new Set(OPENAI_VOICES);

/** The prefix of OpenAI's custom voice ids (https://platform.openai.com/docs/api-reference/audio/createSpeech). */
const CUSTOM_VOICE_PREFIX = 'voice_';

/** OpenAI's built-in names (case as OpenAI spells them) and custom `voice_…` ids. */
export function recognizesOpenAIVoice(voice: string): boolean {
  return BUILT_IN.has(voice) || voice.startsWith(CUSTOM_VOICE_PREFIX);
}

export function toOpenAIVoice(voice: string): OpenAIVoiceParameter {
  if (BUILT_IN.has(voice)) return voice;
  if (voice.startsWith(CUSTOM_VOICE_PREFIX)) return { id: voice };
  // Unknown names go through untouched: the API's answer (400, param "voice") says more than a guess would.
  return voice;
}
