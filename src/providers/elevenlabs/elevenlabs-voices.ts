/**
 * OpenAI voice names on ElevenLabs' stock ("premade") voices. alloy, ash, coral, onyx, sage
 * and verse are LiteLLM's table (`ElevenLabsTextToSpeechConfig.VOICE_MAPPINGS`), kept with
 * its extra names (amber, august, blue, lily) so a LiteLLM config sounds the same here; the
 * other seven OpenAI names get distinct premade voices. Any other string is a voice id.
 * https://elevenlabs.io/docs/api-reference/voices/search
 */
export const ELEVENLABS_VOICES: Readonly<Record<string, string>> = {
  alloy: '21m00Tcm4TlvDq8ikWAM', // Rachel
  ash: 'AZnzlk1XvdvUeBnXmlld', // Domi
  coral: '9BWtsMINqrJLrRacOk9x', // Aria
  onyx: '29vD33N1CtxCmqQRPOHJ', // Drew
  sage: 'CwhRBWXzGAHq8TQ4Fs17', // Roger
  verse: 'CYw3kZ02Hs0563khs1Fj', // Dave
  amber: '5Q0t7uMcjvnagumLfvZi', // Paul
  august: 'D38z5RcWu1voky8WS1ja', // Fin
  blue: '2EiwWnXFnvU5JabPnv8n', // Clyde
  lily: 'EXAVITQu4vr4xnSDxMaL', // Sarah
  ballad: 'JBFqnCBsd6RMkjVDRZzb', // George
  echo: 'TX3LPaxmHKxFdv7VOQHJ', // Liam
  fable: 'onwK4e9ZLuTAKqWW03F9', // Daniel
  nova: 'cgSgspJ2msm6clMCkdW9', // Jessica
  shimmer: 'Xb7hH8MSUJpSbSDYk0k2', // Alice
  marin: 'XrExE9yKIg1WjnnlVkGX', // Matilda
  cedar: 'nPczCjzI2devNBz1zQrb', // Brian
};

/** ElevenLabs voice ids: 20 letters and digits (https://elevenlabs.io/docs/api-reference/voices/get). */
const VOICE_ID = /^[A-Za-z0-9]{20}$/;

export function recognizesElevenLabsVoice(voice: string): boolean {
  const trimmed = voice.trim();
  return ELEVENLABS_VOICES[trimmed.toLowerCase()] !== undefined || VOICE_ID.test(trimmed);
}

/** The voice id for a request voice; the lookup is case-insensitive, as in LiteLLM. */
export function resolveElevenLabsVoice(voice: string): string {
  const trimmed = voice.trim();
  return ELEVENLABS_VOICES[trimmed.toLowerCase()] ?? trimmed;
}
