import { z } from 'zod';
import { networkFailure } from '../shared/http-call.js';
import { ProviderError } from '../spec/errors.js';
import { businessError, MINIMAX_PROVIDER } from './minimax-errors.js';
import { serverSentEventData } from '../shared/server-sent-events.js';

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
export async function* miniMaxAudio(response: Response, signal: AbortSignal, state: StreamState): AsyncGenerator<Uint8Array> {
  const contentType = response.headers.get('content-type') ?? '';
  if (response.body === null) throw unreadable('an empty body');
  try {
    if (!contentType.includes('text/event-stream')) {
      // Errors come back as JSON even when a stream was asked for.
      const payload = readPayload(await response.text(), state);
      const audio = payload.data?.audio;
      if (audio === undefined || audio === '') throw unreadable('no audio in its answer');
      yield decodeHex(audio);
      return;
    }
    for await (const data of serverSentEventData(response.body)) {
      if (data.trim() === '' || data === '[DONE]') continue;
      const payload = readPayload(data, state);
      if (payload.extra_info !== undefined && payload.extra_info !== null) return;
      const audio = payload.data?.audio;
      if (audio !== undefined && audio !== '') yield decodeHex(audio);
      if (payload.data?.status === 2) return;
    }
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw networkFailure(MINIMAX_PROVIDER, error, signal);
  }
  throw new ProviderError({
    kind: 'unavailable',
    provider: MINIMAX_PROVIDER,
    message: 'the stream ended before MiniMax finished the audio',
    ...traceOf(state),
  });
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

function decodeHex(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw unreadable('audio that is not hex');
  return Buffer.from(hex, 'hex');
}

function unreadable(what: string): ProviderError {
  return new ProviderError({ kind: 'unavailable', provider: MINIMAX_PROVIDER, message: `MiniMax sent ${what}` });
}

function traceOf(state: StreamState): { upstreamRequestId?: string } {
  return state.traceId === undefined ? {} : { upstreamRequestId: state.traceId };
}
