/**
 * OpenAI voice names on MiniMax system voices. The first six are LiteLLM's table
 * (litellm/llms/minimax/text_to_speech/transformation.py); the other seven are MiniMax
 * system voices chosen by the same character (https://platform.minimax.io/docs/faq/system-voice-id).
 */
export const OPENAI_TO_MINIMAX_VOICES: Readonly<Record<string, string>> = {
  alloy: 'male-qn-qingse',
  echo: 'male-qn-jingying',
  fable: 'female-shaonv',
  onyx: 'male-qn-badao',
  nova: 'female-yujie',
  shimmer: 'female-tianmei',
  ash: 'male-qn-daxuesheng',
  ballad: 'audiobook_male_1',
  coral: 'female-chengshu',
  sage: 'presenter_female',
  verse: 'presenter_male',
  marin: 'audiobook_female_1',
  cedar: 'audiobook_male_2',
};

const SYSTEM_VOICES: ReadonlySet<string> = new Set(Object.values(OPENAI_TO_MINIMAX_VOICES));

/**
 * MiniMax voice ids: system voices (`male-qn-qingse`, `English_Graceful_Lady`) and cloned ones
 * (8 to 256 characters, a letter first; https://platform.minimax.io/docs/api-reference/voice-cloning-clone).
 * Shapes that belong to other providers are left out so a fallback never takes them for its
 * own: locale-prefixed names (Azure, Google), 20-character ElevenLabs ids, OpenAI's `voice_` ids.
 */
const MINIMAX_VOICE_ID = /^[A-Za-z][\w\-() ]{7,255}$/;
const LOCALE_PREFIXED = /^[a-z]{2,3}-[A-Z]{2,4}-/;
const ELEVENLABS_SHAPED = /^[A-Za-z0-9]{20}$/;
const OPENAI_CUSTOM = /^voice_/;

export function recognizesMiniMaxVoice(voice: string): boolean {
  const trimmed = voice.trim();
  if (OPENAI_TO_MINIMAX_VOICES[trimmed.toLowerCase()] !== undefined || SYSTEM_VOICES.has(trimmed)) return true;
  return MINIMAX_VOICE_ID.test(trimmed) && !LOCALE_PREFIXED.test(trimmed) && !ELEVENLABS_SHAPED.test(trimmed) && !OPENAI_CUSTOM.test(trimmed);
}

/** As LiteLLM: OpenAI names matched without case or surrounding spaces; other voices sent as given (trimmed). */
export function resolveMiniMaxVoice(voice: string): string {
  const trimmed = voice.trim();
  return OPENAI_TO_MINIMAX_VOICES[trimmed.toLowerCase()] ?? trimmed;
}
