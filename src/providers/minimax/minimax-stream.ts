import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ServerSentEventParser } from '../shared/server-sent-events.js';
import { type BodyDecoder, UpstreamAudio } from '../shared/upstream-audio.js';
import { ProviderError } from '../spec/errors.js';
import { businessError, MINIMAX_PROVIDER } from './minimax-errors.js';

/** One T2A v2 answer, whole (JSON) or one stream event; only the fields read. */
const payloadSchema = z.looseObject({
  data: z.looseObject({ audio: z.string().optional(), status: z.number().optional() }).nullish(),
  extra_info: z.looseObject({}).nullish(),
  trace_id: z.string().optional(),
  base_resp: z.looseObject({ status_code: z.number(), status_msg: z.string().optional() }).nullish(),
});
type Payload = z.infer<typeof payloadSchema>;

/** Filled in as the answer is read: MiniMax names the request only inside its payloads. */
export interface StreamState {
  traceId: string | undefined;
}

/**
 * The audio of a T2A v2 answer as bytes. A stream carries hex chunks (`data.status` 1) and
 * then a summary (`data.status` 2 with top-level `extra_info`) that repeats the whole audio:
 * it ends the stream and is skipped, or the audio would play twice. A business error (a
 * non-zero `base_resp.status_code`) in any event or in a JSON answer becomes a `ProviderError`.
 */
export function miniMaxAudio(
  response: { readonly headers: IncomingHttpHeaders; readonly body: Readable },
  signal: AbortSignal,
  state: StreamState,
): UpstreamAudio {
  const contentType = String(response.headers['content-type'] ?? '');
  // Errors come back as JSON even when a stream was asked for.
  const decoder = contentType.includes('text/event-stream') ? eventStreamDecoder(state) : jsonAnswerDecoder(state);
  return new UpstreamAudio(response.body, MINIMAX_PROVIDER, signal, decoder);
}

function eventStreamDecoder(state: StreamState): BodyDecoder {
  const parser = new ServerSentEventParser();
  const take = (events: readonly string[], emit: (audio: Buffer) => void): boolean => {
    for (const data of events) {
      if (data.trim() === '' || data === '[DONE]') continue;
      const payload = readPayload(data, state);
      if (payload.extra_info !== undefined && payload.extra_info !== null) return true;
      const audio = payload.data?.audio;
      if (audio !== undefined && audio !== '') emit(decodeHex(audio));
      if (payload.data?.status === 2) return true;
    }
    return false;
  };
  return {
    write: (chunk, emit) => take(parser.push(chunk), emit),
    end(emit) {
      if (take(parser.end(), emit)) return;
      throw new ProviderError({
        kind: 'unavailable',
        provider: MINIMAX_PROVIDER,
        message: 'the stream ended before MiniMax finished the audio',
        ...(state.traceId === undefined ? {} : { upstreamRequestId: state.traceId }),
      });
    },
  };
}

function jsonAnswerDecoder(state: StreamState): BodyDecoder {
  const parts: Buffer[] = [];
  return {
    write(chunk) {
      parts.push(chunk);
      return false;
    },
    end(emit) {
      const audio = readPayload(Buffer.concat(parts).toString('utf8'), state).data?.audio;
      if (audio === undefined || audio === '') throw unreadable('no audio in its answer');
      emit(decodeHex(audio));
    },
  };
}

function readPayload(text: string, state: StreamState): Payload {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unreadable(`a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) throw unreadable(`an unexpected payload: ${text.slice(0, 200)}`);
  const payload = parsed.data;
  state.traceId ??= payload.trace_id;
  const status = payload.base_resp;
  if (status !== undefined && status !== null && status.status_code !== 0) {
    throw businessError(status.status_code, status.status_msg, payload.trace_id ?? state.traceId);
  }
  return payload;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function decodeHex(hex: string): Buffer {
  if (!HEX.test(hex)) throw unreadable('audio that is not hex');
  return Buffer.from(hex, 'hex');
}

export function unreadable(what: string): ProviderError {
  return new ProviderError({ kind: 'unavailable', provider: MINIMAX_PROVIDER, message: `MiniMax sent ${what}` });
}
