import type { HttpSpeechCall } from '../shared/http-speech-provider.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { resolveGeminiVoice } from './gemini-voices.js';

/** The `generateContent` body of a single-speaker Gemini TTS call (Gemini API and Vertex AI alike). */
interface GeminiSpeechBody {
  readonly contents: ReadonlyArray<{ readonly role: 'user'; readonly parts: ReadonlyArray<{ readonly text: string }> }>;
  readonly generationConfig: {
    readonly responseModalities: readonly ['AUDIO'];
    readonly speechConfig: { readonly voiceConfig: { readonly prebuiltVoiceConfig: { readonly voiceName: string } } };
  };
}

/** One `generateContent` call: the Gemini API's or Vertex AI's URL and credential, the same body. */
export interface GeminiSpeechCall extends HttpSpeechCall {
  readonly body: GeminiSpeechBody;
}

export interface GeminiSpeechMapping {
  readonly body: GeminiSpeechBody;
  readonly warnings: readonly SpeechWarning[];
}

/**
 * Maps an OpenAI speech request to Gemini TTS. The model only produces 16-bit pcm (there is no
 * output format to ask for; `response_format` is met by transcoding) and has no numeric speed.
 *
 * `instructions` become a style direction in front of the transcript: Google documents style,
 * accent, pace and tone as controlled by natural language in the prompt itself, in the form
 * "Say cheerfully: Have a wonderful day!"
 * (https://ai.google.dev/gemini-api/docs/speech-generation#controllable). The role is always
 * `user`: Vertex AI rejects contents without one.
 */
export function toGeminiSpeechBody(request: Pick<SpeechRequest, 'input' | 'voice' | 'speed' | 'instructions'>): GeminiSpeechMapping {
  const warnings: SpeechWarning[] = [];
  if (request.speed !== 1) {
    // A pace phrase in the prompt would be a guess at a number the model cannot honour exactly.
    warnings.push({
      type: 'unsupported-setting',
      setting: 'speed',
      details: 'Gemini TTS has no speaking-rate parameter; describe the pace in `instructions` instead',
    });
  }
  // "Speak slowly." becomes "Speak slowly: …", the documented shape, rather than "Speak slowly.: …".
  const style = request.instructions?.trim().replace(/[\s:;,.!]+$/u, '') ?? '';
  const text = style === '' ? request.input : `${style}: ${request.input}`;
  return {
    body: {
      contents: [{ role: 'user', parts: [{ text }] }],
      generationConfig: {
        responseModalities: ['AUDIO'],
        speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: resolveGeminiVoice(request.voice) } } },
      },
    },
    warnings,
  };
}
