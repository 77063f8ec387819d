import { parseModelString } from './model-string.js';

/**
 * A LiteLLM config lists every kind of model (chat, embeddings, transcription, images, ...);
 * the gateway serves only speech. This decides, from what a LiteLLM config says, whether one
 * `model_list` entry is a speech model:
 * - `model_info.mode` decides when present (LiteLLM's `audio_speech` is speech, any other mode is not);
 * - else the provider model must be one its provider sells for speech.
 * Anything else (a chat model, an unknown prefix) is left out with a warning.
 */
export type SpeechVerdict = { readonly speech: true } | { readonly speech: false; readonly reason: string };

const SPEECH_MODE = 'audio_speech';

/** Per provider, the provider-side model names that are text-to-speech. */
const SPEECH_MODEL: Readonly<Record<string, (model: string, params: Readonly<Record<string, unknown>>) => boolean>> = {
  // https://platform.openai.com/docs/models: tts-1, tts-1-hd, gpt-4o-mini-tts (and dated snapshots).
  openai: (model) => isOpenAiSpeechModel(model),
  // An Azure OpenAI deployment is named by its owner: its name, or `base_model`, says whether it is a TTS model.
  azure: (model, params) =>
    isOpenAiSpeechModel(model) || /(^|[-_./])tts([-_./]|$)|speech|voice/i.test(model) || isOpenAiSpeechModel(String(params['base_model'] ?? '')),
  azure_speech: () => true,
  aws_polly: () => true,
  // ElevenLabs' TTS models are `eleven_*`; its speech-to-text (`scribe_*`) and speech-to-speech (`*_sts_*`) are not.
  elevenlabs: (model) => /^eleven_/.test(model) && !/_sts_/.test(model),
  // MiniMax's TTS models are `speech-*` (speech-02-hd, speech-2.6-turbo, ...).
  minimax: (model) => /^speech-/.test(model),
  gemini: (model) => /-tts(\b|-|$)/.test(model),
  // Vertex: Gemini TTS models, or a Cloud TTS voice (`en-US-Chirp3-HD-Charon`) or voice family.
  vertex_ai: (model) =>
    /-tts(\b|-|$)/.test(model) || /^[a-z]{2,3}-[A-Z]{2}-/.test(model) || /^(chirp|studio|neural2|wavenet|journey|polyglot|standard)/i.test(model),
  espeak: () => true,
};

function isOpenAiSpeechModel(model: string): boolean {
  return /^tts-/.test(model) || /^gpt-[\w.-]*-tts/.test(model);
}

export function classifyModel(model: string, mode: unknown, params: Readonly<Record<string, unknown>>): SpeechVerdict {
  if (mode === SPEECH_MODE) return { speech: true };
  if (typeof mode === 'string' && mode !== '') return { speech: false, reason: `model_info.mode is "${mode}"` };
  const parsed = parseModelString(model);
  if ('error' in parsed) return { speech: false, reason: 'its provider is not one the gateway calls for speech' };
  const isSpeech = SPEECH_MODEL[parsed.provider]?.(parsed.model, params) ?? false;
  return isSpeech ? { speech: true } : { speech: false, reason: `"${model}" is not a known text-to-speech model` };
}
