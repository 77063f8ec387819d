/**
 * OpenAI voice names on Azure AI Speech. The first six are LiteLLM's table
 * (`AzureAVATextToSpeechConfig.VOICE_MAPPINGS`), so a LiteLLM config sounds the same here;
 * the other seven are distinct en-US neural voices, so no two OpenAI names share a voice.
 * Any other string is an Azure voice name (`de-DE-KatjaNeural`) and passes through.
 */
export const AZURE_SPEECH_VOICES: Readonly<Record<string, string>> = {
  alloy: 'en-US-JennyNeural',
  echo: 'en-US-GuyNeural',
  fable: 'en-GB-RyanNeural',
  onyx: 'en-US-DavisNeural',
  nova: 'en-US-AmberNeural',
  shimmer: 'en-US-AriaNeural',
  ash: 'en-US-AndrewNeural',
  ballad: 'en-US-BrianNeural',
  coral: 'en-US-EmmaNeural',
  sage: 'en-US-SaraNeural',
  verse: 'en-US-TonyNeural',
  marin: 'en-US-AvaNeural',
  cedar: 'en-US-ChristopherNeural',
};

/**
 * Azure neural voice names: `<language>-<REGION>[-<script>]-<Name>Neural`, the name part may
 * carry a style suffix (`en-US-Ava:DragonHDLatestNeural`, `zh-CN-XiaoxiaoMultilingualNeural`).
 * Cloud Text-to-Speech names share the locale prefix but never end in `Neural`.
 */
const AZURE_VOICE_NAME = /^[a-z]{2,3}-[A-Za-z]{2,4}(-[A-Za-z]{2,8})?-[A-Za-z0-9:]+Neural$/;

export function recognizesAzureVoice(voice: string): boolean {
  const trimmed = voice.trim();
  return AZURE_SPEECH_VOICES[trimmed.toLowerCase()] !== undefined || AZURE_VOICE_NAME.test(trimmed);
}

/** LiteLLM looks OpenAI names up as given; lower-casing first also maps `Alloy`, which no Azure voice is named. */
export function resolveAzureVoice(voice: string): string {
  const trimmed = voice.trim();
  return AZURE_SPEECH_VOICES[trimmed.toLowerCase()] ?? trimmed;
}
