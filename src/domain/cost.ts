import type { Deployment } from './catalog.js';

/**
 * USD per input character for the known speech models (LiteLLM's published prices). A
 * deployment's `input_cost_per_character` overrides the table.
 */
const PRICE_PER_CHARACTER: Readonly<Record<string, number>> = {
  'openai/tts-1': 15e-6,
  'openai/tts-1-hd': 30e-6,
  'azure/tts-1': 15e-6,
  'azure/tts-1-hd': 30e-6,
  'azure_speech/azure-tts': 15e-6,
  'azure_speech/azure-tts-hd': 30e-6,
  'aws_polly/standard': 4e-6,
  'aws_polly/neural': 16e-6,
  'aws_polly/generative': 30e-6,
  'aws_polly/long-form': 100e-6,
  'elevenlabs/eleven_multilingual_v2': 180e-6,
  'elevenlabs/eleven_v3': 180e-6,
  'minimax/speech-02-hd': 100e-6,
  'minimax/speech-2.6-hd': 100e-6,
  'minimax/speech-02-turbo': 60e-6,
  'minimax/speech-2.6-turbo': 60e-6,
  'vertex_ai/chirp': 30e-6,
  // Token-priced models, approximated per character so that every call has a cost. OpenAI quotes
  // gpt-4o-mini-tts at about $0.015 a minute of audio; a minute of speech is about 1,000
  // characters, which is tts-1's price.
  'openai/gpt-4o-mini-tts': 15e-6,
  'azure/gpt-4o-mini-tts': 15e-6,
  // Gemini TTS (LiteLLM: $0.30/M input tokens, $2.50/M output tokens for flash; $1/M and $20/M
  // for pro): a token is about 4 characters of text, and audio is 25 tokens a second, about 15
  // characters, so 1 character costs ~0.25 input and ~1.67 output tokens.
  'gemini/gemini-2.5-flash-preview-tts': 4.25e-6,
  'vertex_ai/gemini-2.5-flash-preview-tts': 4.25e-6,
  'gemini/gemini-2.5-pro-preview-tts': 33.6e-6,
  'vertex_ai/gemini-2.5-pro-preview-tts': 33.6e-6,
};

export function pricePerCharacter(deployment: Pick<Deployment, 'provider' | 'model' | 'params'>): number {
  if (deployment.params.input_cost_per_character !== undefined) return deployment.params.input_cost_per_character;
  if (deployment.provider === 'espeak') return 0;
  return PRICE_PER_CHARACTER[`${deployment.provider}/${deployment.model}`] ?? 0;
}

/** Providers bill the characters they receive, whitespace included, so that is what is counted. */
export function costOf(deployment: Pick<Deployment, 'provider' | 'model' | 'params'>, characters: number): number {
  return roundUsd(pricePerCharacter(deployment) * characters);
}

function roundUsd(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
