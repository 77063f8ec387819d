import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { miniMaxAudio, type StreamState } from '../../../../src/providers/minimax/minimax-stream.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';

const OK = { status_code: 0, status_msg: '' };
const event = (payload: object): string => `data: ${JSON.stringify(payload)}\n\n`;
const chunk = (hex: string): string => event({ data: { audio: hex, status: 1, ced: '' }, trace_id: 'trace-1', base_resp: OK });
const summary = (hex: string): string =>
  event({
    data: { audio: hex, status: 2, ced: '' },
    extra_info: { audio_format: 'mp3', audio_size: hex.length / 2 },
    trace_id: 'trace-1',
    base_resp: { status_code: 0, status_msg: 'success' },
  });

/** An answer as undici hands it over: parsed headers and a Node stream of Buffer chunks. */
interface Answer {
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
}

function sse(...events: string[]): Answer {
  return { headers: { 'content-type': 'text/event-stream' }, body: Readable.from(events.map((text) => Buffer.from(text))) };
}

async function read(response: Answer, state: StreamState = { traceId: undefined }): Promise<number[]> {
  const bytes: number[] = [];
  for await (const part of miniMaxAudio(response, new AbortController().signal, state)) bytes.push(...part);
  return bytes;
}

async function failure(response: Answer): Promise<ProviderError> {
  const error = await read(response).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('miniMaxAudio', () => {
  it('decodes the hex chunks and skips the summary that repeats the whole audio', async () => {
    const state: StreamState = { traceId: undefined };
    expect(await read(sse(chunk('0102'), chunk('03'), summary('010203')), state)).toEqual([1, 2, 3]);
    expect(state.traceId).toBe('trace-1');
  });

  it('stops at the summary even if more bytes follow', async () => {
    expect(await read(sse(chunk('0a'), summary('0a'), chunk('0b')))).toEqual([10]);
  });

  it('ends on a final status 2 chunk without extra_info', async () => {
    expect(await read(sse(chunk('01'), event({ data: { audio: '02', status: 2 }, base_resp: OK })))).toEqual([1, 2]);
  });

  it('turns an error event into a ProviderError, first or mid-stream', async () => {
    const first = await failure(sse(event({ trace_id: 'trace-9', base_resp: { status_code: 1027, status_msg: 'output new_sensitive' } })));
    expect(first).toMatchObject({ kind: 'content_rejected', upstreamRequestId: 'trace-9', retryable: false });
    expect(first.message).toContain('1027');
    const later = await failure(sse(chunk('01'), event({ base_resp: { status_code: 1000, status_msg: 'unknown error' } })));
    expect(later).toMatchObject({ kind: 'unavailable', upstreamRequestId: 'trace-1' });
  });

  it('reads a JSON answer: an error, or the whole audio', async () => {
    const json = (payload: object): Answer => ({
      headers: { 'content-type': 'application/json' },
      body: Readable.from([Buffer.from(JSON.stringify(payload))]),
    });
    expect(await failure(json({ trace_id: 't', base_resp: { status_code: 1002, status_msg: 'rate limit exceeded(RPM)' } }))).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
    });
    expect(await failure(json({ base_resp: { status_code: 2049, status_msg: 'invalid api key' } }))).toMatchObject({ kind: 'auth' });
    expect(await read(json({ data: { audio: 'ff00', status: 2 }, extra_info: {}, base_resp: OK }))).toEqual([255, 0]);
    expect(await failure(json({ data: null, base_resp: OK }))).toMatchObject({ kind: 'unavailable' });
  });

  it('refuses audio that is not hex, and bodies that are not JSON', async () => {
    expect((await failure(sse(chunk('0g')))).message).toContain('not hex');
    expect((await failure(sse(chunk('012')))).message).toContain('not hex');
    expect((await failure(sse('data: <html>\n\n'))).message).toContain('not JSON');
  });

  it('calls a stream that ends before the summary truncated', async () => {
    expect(await failure(sse(chunk('01')))).toMatchObject({ kind: 'unavailable', message: expect.stringContaining('ended before') });
  });
});
