import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServerResponse } from 'node:http';
import type { ApiErrorType } from '../domain/errors.js';

/**
 * Streams audio to the client with backpressure. When the client goes away the pipeline
 * destroys the source, which stops the work behind it (processes, upstream calls).
 */
export async function sendAudioStream(response: ServerResponse, audio: AsyncIterable<Uint8Array>): Promise<void> {
  await pipeline(Readable.from(audio, { objectMode: false }), response);
}

export interface SseUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
}

export interface SseError {
  readonly message: string;
  readonly type: ApiErrorType;
  readonly code: string | null;
}

/**
 * OpenAI's speech SSE framing: `speech.audio.delta` events with base64 audio, then
 * `speech.audio.done` with usage. A failure after the first event can no longer change the
 * status, so it becomes an `error` event and the stream ends without `done`.
 */
export async function* speechSseEvents(audio: AsyncIterable<Uint8Array>, usage: SseUsage, describeError: (error: unknown) => SseError): AsyncGenerator<string> {
  try {
    for await (const chunk of audio) {
      yield event({ type: 'speech.audio.delta', audio: Buffer.from(chunk).toString('base64') });
    }
  } catch (error) {
    yield event({ type: 'error', error: describeError(error) });
    return;
  }
  yield event({ type: 'speech.audio.done', usage });
}

function event(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
