import type { HttpSpeechCall } from '../shared/http-speech-provider.js';
import type { ResponseFormat } from '../../audio/formats.js';
import { OPENAI_PCM_SAMPLE_RATE } from '../../audio/formats.js';
import { ProviderError } from '../spec/errors.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { resolveCloudTtsVoice, type CloudTtsVoice } from './cloud-tts-voices.js';

/** The `audioEncoding` values the adapter asks for (the API also has MULAW, ALAW and M4A). */
export type CloudTtsEncoding = 'MP3' | 'OGG_OPUS' | 'LINEAR16' | 'PCM';

/**
 * What to ask for per OpenAI format. MP3 and Ogg Opus are native. AAC and FLAC have no Cloud TTS
 * encoding (LiteLLM's "FLAC" is not in the enum and fails), so they come as headerless PCM, the
 * lossless choice, and are transcoded. WAV is LINEAR16, which Google sends with a WAV header.
 */
const CLOUD_TTS_ENCODING: Readonly<Record<ResponseFormat, CloudTtsEncoding>> = {
  mp3: 'MP3',
  opus: 'OGG_OPUS',
  aac: 'PCM',
  flac: 'PCM',
  wav: 'LINEAR16',
  pcm: 'PCM',
};

/** `audioConfig.speakingRate` bounds in the v1 proto (older docs said 4.0; the API now rejects more than 2.0). */
export const SPEAKING_RATE = { min: 0.25, max: 2 } as const;

/** "The input size is limited to 5000 bytes" (SynthesisInput), text or SSML. */
export const CLOUD_TTS_MAX_INPUT_BYTES = 5000;

interface CloudTtsBody {
  readonly input: { readonly text: string } | { readonly ssml: string };
  readonly voice: CloudTtsVoice;
  readonly audioConfig: { readonly audioEncoding: CloudTtsEncoding; readonly sampleRateHertz: number; readonly speakingRate: number };
}

export interface CloudTtsSettings {
  readonly url: string;
  /** Sent as `x-goog-user-project`, the project billed for the call (LiteLLM sends it too). */
  readonly quotaProject?: string;
}

export interface CloudTtsHttpRequest extends HttpSpeechCall {
  readonly body: CloudTtsBody;
}

/**
 * An OpenAI speech request as a Cloud Text-to-Speech `text:synthesize` call. Every encoding is
 * asked for at 24 kHz, the natural rate of Studio and Chirp 3 HD voices and OpenAI's pcm rate,
 * so pcm needs no resampling. Input that starts with `<speak>` is sent as SSML, as LiteLLM does.
 */
export function toProviderRequest(request: SpeechRequest, settings: CloudTtsSettings, accessToken: string): CloudTtsHttpRequest {
  const bytes = Buffer.byteLength(request.input, 'utf8');
  if (bytes > CLOUD_TTS_MAX_INPUT_BYTES) {
    throw new ProviderError({
      kind: 'invalid_request',
      provider: 'vertex_ai',
      status: 400,
      message: `input is ${bytes} bytes of UTF-8; Cloud Text-to-Speech accepts at most ${CLOUD_TTS_MAX_INPUT_BYTES}`,
    });
  }
  const warnings: SpeechWarning[] = [];
  const speakingRate = Math.min(SPEAKING_RATE.max, Math.max(SPEAKING_RATE.min, request.speed));
  if (speakingRate !== request.speed) warnings.push({ type: 'clamped-setting', setting: 'speed', requested: request.speed, applied: speakingRate });
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'instructions',
      details: 'Cloud Text-to-Speech voices take no style prompt; use a vertex_ai/gemini-…-tts model for instructions',
    });
  }
  const isSsml = /^\s*<speak[\s>]/i.test(request.input);
  return {
    url: settings.url,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${accessToken}`,
      ...(settings.quotaProject === undefined ? {} : { 'x-goog-user-project': settings.quotaProject }),
    },
    body: {
      input: isSsml ? { ssml: request.input } : { text: request.input },
      voice: resolveCloudTtsVoice(request.voice),
      audioConfig: { audioEncoding: CLOUD_TTS_ENCODING[request.format], sampleRateHertz: OPENAI_PCM_SAMPLE_RATE, speakingRate },
    },
    warnings,
  };
}
