import { z } from 'zod';
import type { AudioEncoding } from '../../audio/formats.js';
import { parseAnswer } from '../shared/json-body.js';
import { ProviderError } from '../spec/errors.js';

/** The fields of a `GenerateContentResponse` that carry audio or say why there is none. */
const responseSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        content: z
          .looseObject({ parts: z.array(z.looseObject({ inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional() })).optional() })
          .optional(),
        finishReason: z.string().optional(),
        finishMessage: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() }).optional(),
  responseId: z.string().optional(),
});

/** Finish reasons meaning the model refused the content (google.ai.generativelanguage FinishReason). */
const REFUSALS = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_SAFETY']);

/**
 * Gemini's documented TTS output: 24 kHz mono 16-bit pcm
 * (https://ai.google.dev/gemini-api/docs/speech-generation). Used only when a mimeType carries
 * no `rate` parameter.
 */
const DOCUMENTED_SAMPLE_RATE = 24_000;

export interface GeminiAudio {
  readonly audio: Buffer;
  readonly encoding: AudioEncoding;
  readonly responseId?: string;
}

/**
 * `audio/L16;codec=pcm;rate=24000` → pcm at 24 kHz. Despite RFC 2586's L16 (big-endian),
 * Gemini's samples are little-endian: Google's own examples write them straight into a WAV file.
 */
export function parseAudioMimeType(mimeType: string): { readonly sampleRate: number; readonly channels: number } | undefined {
  const [type = '', ...parameters] = mimeType.split(';').map((part) => part.trim());
  if (!/^audio\/(l16|pcm)$/i.test(type)) return undefined;
  const values = new Map(
    parameters.map((parameter) => {
      const [name = '', value = ''] = parameter.split('=');
      return [name.trim().toLowerCase(), value.trim()] as const;
    }),
  );
  const sampleRate = Number(values.get('rate') ?? DOCUMENTED_SAMPLE_RATE);
  const channels = Number(values.get('channels') ?? 1);
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || !Number.isInteger(channels) || channels <= 0) return undefined;
  return { sampleRate, channels };
}

/**
 * The audio of a (non-streaming) Gemini TTS answer: every inlineData part of the first
 * candidate, in order. A 200 without audio is a refusal (content_rejected) or a failed
 * generation (unavailable, worth retrying elsewhere).
 */
export function readGeminiSpeechResponse(json: unknown, provider: string): GeminiAudio {
  const response = parseAnswer(responseSchema, json, provider, 'generateContent');
  const responseId = response.responseId;
  const upstream = responseId === undefined ? {} : { upstreamRequestId: responseId };
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason !== undefined && blockReason !== 'BLOCK_REASON_UNSPECIFIED') {
    throw new ProviderError({
      kind: 'content_rejected',
      provider,
      status: 200,
      message: `the prompt was blocked (${blockReason})${suffix(response.promptFeedback?.blockReasonMessage)}`,
      ...upstream,
    });
  }
  const candidate = response.candidates?.[0];
  const parts = (candidate?.content?.parts ?? []).flatMap((part) => (part.inlineData === undefined ? [] : [part.inlineData]));
  if (parts.length === 0) {
    const reason = candidate?.finishReason ?? 'no candidate';
    const kind = REFUSALS.has(reason) ? 'content_rejected' : 'unavailable';
    throw new ProviderError({
      kind,
      provider,
      status: 200,
      message: `the model returned no audio (finishReason ${reason})${suffix(candidate?.finishMessage)}`,
      ...upstream,
    });
  }
  let format: { sampleRate: number; channels: number } | undefined;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const partFormat = parseAudioMimeType(part.mimeType);
    if (partFormat === undefined) {
      throw new ProviderError({
        kind: 'unavailable',
        provider,
        status: 200,
        message: `unexpected audio type "${part.mimeType}" (expected audio/L16 pcm)`,
        ...upstream,
      });
    }
    if (format !== undefined && (format.sampleRate !== partFormat.sampleRate || format.channels !== partFormat.channels)) {
      throw new ProviderError({ kind: 'unavailable', provider, status: 200, message: 'audio parts of one answer disagree on their sample rate', ...upstream });
    }
    format = partFormat;
    chunks.push(Buffer.from(part.data, 'base64'));
  }
  const { sampleRate, channels } = format as { sampleRate: number; channels: number };
  return { audio: Buffer.concat(chunks), encoding: { format: 'pcm', sampleRate, channels }, ...(responseId === undefined ? {} : { responseId }) };
}

function suffix(message: string | undefined): string {
  return message === undefined || message === '' ? '' : `: ${message}`;
}
