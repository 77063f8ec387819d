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

/** As LiteLLM: OpenAI names matched without case or surrounding spaces; other voices sent as given (trimmed). */
export function resolveMiniMaxVoice(voice: string): string {
  const trimmed = voice.trim();
  return OPENAI_TO_MINIMAX_VOICES[trimmed.toLowerCase()] ?? trimmed;
}
