import type { SpeechCapabilities } from '../spec/types.js';

/** What a Gemini TTS model does, on the Gemini API and on Vertex AI alike. */
export const GEMINI_TTS_CAPABILITIES: SpeechCapabilities = {
  // Google documents 4,000 bytes of text for these models when reached through Cloud TTS
  // (https://cloud.google.com/text-to-speech/docs/gemini-tts); the Gemini API states only a 32k-token
  // context, so the documented bound is used for both [the Gemini API may accept more].
  maxInputCharacters: 4000,
  // No speed parameter: any speed other than 1 comes back as a warning.
  speed: undefined,
  instructions: true,
  // generateContent answers one JSON document holding the whole clip.
  streaming: false,
};
