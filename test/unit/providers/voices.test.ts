import { describe, expect, it } from 'vitest';
import { recognizesPollyVoice } from '../../../src/providers/aws-polly/polly-voices.js';
import { recognizesAzureVoice } from '../../../src/providers/azure-speech/azure-speech-voices.js';
import { recognizesElevenLabsVoice } from '../../../src/providers/elevenlabs/elevenlabs-voices.js';
import { recognizesEspeakVoice } from '../../../src/providers/espeak/espeak-voices.js';
import { recognizesGeminiVoice } from '../../../src/providers/google/gemini-voices.js';
import { recognizesMiniMaxVoice } from '../../../src/providers/minimax/minimax-voices.js';
import { recognizesOpenAIVoice } from '../../../src/providers/openai/openai-voices.js';
import { recognizesCloudTtsVoice } from '../../../src/providers/vertex-ai/cloud-tts-voices.js';

const recognisers: Record<string, (voice: string) => boolean> = {
  openai: recognizesOpenAIVoice,
  azure_speech: recognizesAzureVoice,
  aws_polly: recognizesPollyVoice,
  gemini: recognizesGeminiVoice,
  cloud_tts: recognizesCloudTtsVoice,
  elevenlabs: recognizesElevenLabsVoice,
  minimax: recognizesMiniMaxVoice,
  espeak: recognizesEspeakVoice,
};

/** Each native voice, and the one provider family that may receive it. */
const NATIVE: Array<[string, string]> = [
  ['voice_abc123', 'openai'],
  ['en-US-JennyNeural', 'azure_speech'],
  ['en-US-Ava:DragonHDLatestNeural', 'azure_speech'],
  ['Joanna', 'aws_polly'],
  ['Léa', 'aws_polly'],
  ['Kore', 'gemini'],
  ['en-US-Neural2-A', 'cloud_tts'],
  ['cmn-CN-Chirp3-HD-Aoede', 'cloud_tts'],
  ['21m00Tcm4TlvDq8ikWAM', 'elevenlabs'],
  ['male-qn-qingse', 'minimax'],
  ['English_Graceful_Lady', 'minimax'],
  ['en-us', 'espeak'],
  ['de+f3', 'espeak'],
];

describe('voices across providers', () => {
  it('every provider recognises every OpenAI voice name', () => {
    for (const [provider, recognises] of Object.entries(recognisers)) {
      for (const voice of ['alloy', 'echo', 'nova', 'shimmer', 'cedar']) expect([provider, voice, recognises(voice)]).toEqual([provider, voice, true]);
    }
  });

  it.each(NATIVE)('%s is recognised by %s alone', (voice, owner) => {
    const recognisedBy = Object.entries(recognisers)
      .filter(([, recognises]) => recognises(voice))
      .map(([provider]) => provider);
    expect(recognisedBy).toEqual([owner]);
  });
});
