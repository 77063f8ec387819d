import type { ServerResponse } from 'node:http';
import type { ResponseFormat } from '../../../src/audio/formats.js';

/** OpenAI's error envelope, as api.openai.com sends it (`param` and `code` present, possibly null). */
export interface OpenAIErrorBody {
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** A refusal: status, body and the headers that go with it. */
export interface FakeErrorAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export function openAIError(status: number, error: OpenAIErrorBody, headers?: Record<string, string>): FakeErrorAnswer {
  return { status, body: { error }, ...(headers === undefined ? {} : { headers }) };
}

/** Azure's own refusals (auth, routing, throttling): `{"error":{"code","message"}}`, code a string. */
export function azureError(status: number, code: string, message: string, headers?: Record<string, string>): FakeErrorAnswer {
  return { status, body: { error: { code, message } }, ...(headers === undefined ? {} : { headers }) };
}

export function sendError(response: ServerResponse, answer: FakeErrorAnswer, extraHeaders: Record<string, string>): void {
  response.writeHead(answer.status, { 'content-type': 'application/json', ...extraHeaders, ...answer.headers });
  response.end(JSON.stringify(answer.body));
}

/** The Content-Type the speech endpoint answers with per format (opus is Ogg Opus). */
export const AUDIO_CONTENT_TYPES: Record<ResponseFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export const SPEECH_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;
export const SPEECH_MODELS = [
  'tts-1',
  'tts-1-hd',
  'tts-1-1106',
  'tts-1-hd-1106',
  'gpt-4o-mini-tts',
  'gpt-4o-mini-tts-2025-03-20',
  'gpt-4o-mini-tts-2025-12-15',
] as const;
export const MAX_INPUT_CHARACTERS = 4096;

/** tts-1 and tts-1-hd take neither `instructions` nor `stream_format: "sse"`. */
export function isLegacyModel(model: string): boolean {
  return /^tts-1(?:-hd)?(?:-\d+)?$/.test(model);
}
