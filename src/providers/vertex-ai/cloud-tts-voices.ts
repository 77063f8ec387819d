/**
 * OpenAI voice names on Cloud Text-to-Speech. The first six are LiteLLM's table
 * (`VertexAITextToSpeechConfig.VOICE_MAPPINGS`), kept as is so a LiteLLM config sounds the same
 * here (LiteLLM gives alloy and nova the same voice); the seven newer OpenAI names get distinct
 * Chirp 3 HD voices of the character their Gemini TTS counterparts have.
 */
export const OPENAI_TO_CLOUD_TTS_VOICE: Readonly<Record<string, string>> = {
  alloy: 'en-US-Studio-O',
  echo: 'en-US-Studio-M',
  fable: 'en-GB-Studio-B',
  onyx: 'en-US-Wavenet-D',
  nova: 'en-US-Studio-O',
  shimmer: 'en-US-Wavenet-F',
  ash: 'en-US-Chirp3-HD-Orus',
  ballad: 'en-US-Chirp3-HD-Algieba',
  coral: 'en-US-Chirp3-HD-Sulafat',
  sage: 'en-US-Chirp3-HD-Vindemiatrix',
  verse: 'en-US-Chirp3-HD-Puck',
  marin: 'en-US-Chirp3-HD-Despina',
  cedar: 'en-US-Chirp3-HD-Achird',
};

const DEFAULT_LANGUAGE_CODE = 'en-US';

/**
 * Cloud Text-to-Speech voice names: `<language>-<REGION>-<type>[-…]-<variant>`
 * (`en-US-Neural2-A`, `cmn-CN-Chirp3-HD-Aoede`). Azure's names share the locale prefix but
 * end in `Neural`, which no Google name does.
 */
const CLOUD_TTS_VOICE_NAME = /^[a-z]{2,3}-[A-Z]{2,3}(-[A-Za-z0-9]+)+$/;

export function recognizesCloudTtsVoice(voice: string): boolean {
  return OPENAI_TO_CLOUD_TTS_VOICE[voice.toLowerCase()] !== undefined || (CLOUD_TTS_VOICE_NAME.test(voice) && !voice.endsWith('Neural'));
}

export interface CloudTtsVoice {
  readonly languageCode: string;
  readonly name: string;
}

/**
 * The `voice` of a synthesize call. As in LiteLLM, the language is the voice name's first two
 * dash-separated parts (`en-GB-Studio-B` → `en-GB`, `cmn-CN-Chirp3-HD-Aoede` → `cmn-CN`), and
 * `en-US` for a name without them.
 */
export function resolveCloudTtsVoice(voice: string): CloudTtsVoice {
  const name = OPENAI_TO_CLOUD_TTS_VOICE[voice.toLowerCase()] ?? voice;
  const [language, region] = name.split('-');
  const languageCode = language !== undefined && region !== undefined && language !== '' && region !== '' ? `${language}-${region}` : DEFAULT_LANGUAGE_CODE;
  return { languageCode, name };
}
