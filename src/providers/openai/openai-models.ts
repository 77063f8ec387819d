/**
 * `instructions` (the style prompt) works only with the gpt-4o-mini-tts family; tts-1 and
 * tts-1-hd do not take it (openai-node `SpeechCreateParams.instructions`).
 */
const INSTRUCTION_MODELS = /^gpt-4o-mini-tts(?:-|$)/;

export function supportsInstructions(model: string): boolean {
  return INSTRUCTION_MODELS.test(model);
}
