import type { AudioEncoding, ResponseFormat } from '../../audio/formats.js';
import { OPENAI_PCM_SAMPLE_RATE } from '../../audio/formats.js';
import type { StreamedSpeechCall } from '../shared/http-speech-provider.js';
import type { SpeechCapabilities, SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { supportsInstructions } from './openai-models.js';
import { toOpenAIVoice, type OpenAIVoiceParameter } from './openai-voices.js';

/** The JSON body of `POST /audio/speech`, shared by OpenAI and Azure OpenAI. */
export interface OpenAISpeechBody {
  readonly model: string;
  readonly input: string;
  readonly voice: OpenAIVoiceParameter;
  readonly response_format: ResponseFormat;
  readonly speed: number;
  readonly instructions?: string;
}

/** What one call sends: built without a network, so it can be tested as is. */
export interface OpenAIHttpRequest extends StreamedSpeechCall {
  readonly body: OpenAISpeechBody;
}

const OPENAI_MAX_INPUT_CHARACTERS = 4096;
const OPENAI_SPEED = { min: 0.25, max: 4 } as const;

/** `model` is the model OpenAI runs: the deployment's own, or an Azure deployment's base model. */
export function openAICapabilities(model: string): SpeechCapabilities {
  return {
    maxInputCharacters: OPENAI_MAX_INPUT_CHARACTERS,
    speed: OPENAI_SPEED,
    instructions: supportsInstructions(model),
    streaming: true,
  };
}

/**
 * The body for `request`, asking for exactly the requested format. `model` goes in the body;
 * the same model decides whether `instructions` can be sent.
 */
export function toSpeechBody(request: SpeechRequest, model: string): { readonly body: OpenAISpeechBody; readonly warnings: readonly SpeechWarning[] } {
  const warnings: SpeechWarning[] = [];
  const speed = Math.min(OPENAI_SPEED.max, Math.max(OPENAI_SPEED.min, request.speed));
  if (speed !== request.speed) warnings.push({ type: 'clamped-setting', setting: 'speed', requested: request.speed, applied: speed });
  const instructions = request.instructions === undefined || request.instructions === '' ? undefined : request.instructions;
  const sendInstructions = instructions !== undefined && supportsInstructions(model);
  if (instructions !== undefined && !sendInstructions) {
    warnings.push({ type: 'unsupported-setting', setting: 'instructions', details: `${model} takes no instructions (only the gpt-4o-mini-tts models do)` });
  }
  const body: OpenAISpeechBody = {
    model,
    input: request.input,
    voice: toOpenAIVoice(request.voice),
    response_format: request.format,
    speed,
    ...(sendInstructions ? { instructions } : {}),
  };
  return { body, warnings };
}

/**
 * What OpenAI sends back for `format`: exactly that format. pcm is headerless 24 kHz 16-bit
 * mono, and wav holds the same samples; the compressed formats carry their own rate.
 */
export function openAIEncoding(format: ResponseFormat): AudioEncoding {
  return ENCODINGS[format];
}

const ENCODINGS: Readonly<Record<ResponseFormat, AudioEncoding>> = {
  mp3: { format: 'mp3' },
  opus: { format: 'opus' },
  aac: { format: 'aac' },
  flac: { format: 'flac' },
  wav: { format: 'wav', sampleRate: OPENAI_PCM_SAMPLE_RATE, channels: 1 },
  pcm: { format: 'pcm', sampleRate: OPENAI_PCM_SAMPLE_RATE, channels: 1 },
};
