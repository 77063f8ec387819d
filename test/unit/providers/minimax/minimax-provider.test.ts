import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMiniMaxProvider } from '../../../../src/providers/minimax/minimax-provider.js';
import type { MiniMaxSettings } from '../../../../src/providers/minimax/minimax-request.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { startUpstreamStub, type UpstreamStub } from '../../../helpers/upstream-stub.js';

const SETTINGS: MiniMaxSettings = { model: 'speech-2.8-hd', apiKey: 'mm-key', apiBase: 'https://api.minimax.io', volume: 1, pitch: 0 };
const speech = (signal = new AbortController().signal): SpeechRequest => ({
  input: 'Hi',
  voice: 'alloy',
  format: 'pcm',
  speed: 1,
  signal,
});
const event = (payload: object): string => `data: ${JSON.stringify(payload)}\n\n`;

let stub: UpstreamStub;
beforeAll(async () => {
  stub = await startUpstreamStub();
});
afterAll(() => stub.close());

/** An upstream answering with `first` as an event stream, the rest only after `release`. */
function streaming(first: string, rest: string): { dispatcher: Dispatcher; release: () => void; calls: Array<{ url: string; headers: Headers }> } {
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const before = stub.requests.length;
  stub.answer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(first);
    await released;
    response.end(rest);
  });
  const calls = () => stub.requests.slice(before).map((request) => ({ url: request.url, headers: new Headers(request.headers as Record<string, string>) }));
  return {
    dispatcher: stub.dispatcher,
    release: () => release(),
    get calls() {
      return calls();
    },
  };
}

/** An upstream that answers every request with `status`, `headers` and `body`, then `then` (a hold-open, say). */
function answering(status: number, headers: Record<string, string>, body: string, then?: (response: ServerResponse) => void): Dispatcher {
  stub.answer((_request, response) => {
    response.writeHead(status, headers);
    if (then === undefined) response.end(body);
    else {
      response.write(body);
      then(response);
    }
  });
  return stub.dispatcher;
}

describe('MiniMax provider', () => {
  it('resolves at the first audio chunk, with the trace id, then streams the rest', async () => {
    const upstream = streaming(
      event({ data: { audio: '0102', status: 1 }, trace_id: 'trace-7', base_resp: { status_code: 0 } }),
      event({ data: { audio: '03', status: 1 }, base_resp: { status_code: 0 } }) +
        event({ data: { audio: '010203', status: 2 }, extra_info: {}, base_resp: { status_code: 0 } }),
    );
    const provider = createMiniMaxProvider({ settings: SETTINGS, dispatcher: upstream.dispatcher });
    const result = await provider.synthesize(speech());
    expect(result.upstreamRequestId).toBe('trace-7');
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    upstream.release();
    const bytes: number[] = [];
    for await (const part of result.audio) bytes.push(...part);
    expect(bytes).toEqual([1, 2, 3]);
    expect(upstream.calls[0]?.url).toBe('https://api.minimax.io/v1/t2a_v2');
    expect(upstream.calls[0]?.headers.get('authorization')).toBe('Bearer mm-key');
  });

  it('rejects, before resolving, when the first event is a business error', async () => {
    const upstream = streaming(event({ trace_id: 'trace-8', base_resp: { status_code: 1026, status_msg: 'input new_sensitive' } }), '');
    const provider = createMiniMaxProvider({ settings: SETTINGS, dispatcher: upstream.dispatcher });
    const error = await provider.synthesize(speech()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'content_rejected', upstreamRequestId: 'trace-8' });
  });

  it('maps a gateway-level HTTP error through its body', async () => {
    const dispatcher = answering(401, { 'content-type': 'application/json' }, JSON.stringify({ base_resp: { status_code: 1004, status_msg: 'login fail' } }));
    const provider = createMiniMaxProvider({ settings: SETTINGS, dispatcher });
    await expect(provider.synthesize(speech())).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('turns the deadline firing while waiting for the first chunk into a timeout', async () => {
    // The stream opens and then says nothing more until the deadline aborts the call.
    const dispatcher = answering(200, { 'content-type': 'text/event-stream' }, ': connected\n\n', () => undefined);
    const controller = new AbortController();
    const provider = createMiniMaxProvider({ settings: SETTINGS, dispatcher });
    setTimeout(() => controller.abort(new DOMException('no audio within 1 s', 'TimeoutError')), 20);
    await expect(provider.synthesize(speech(controller.signal))).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('is truthful about what it can do', () => {
    expect(createMiniMaxProvider({ settings: SETTINGS, dispatcher: stub.dispatcher }).capabilities()).toEqual({
      maxInputCharacters: 9999,
      speed: { min: 0.5, max: 2 },
      instructions: false,
      streaming: true,
    });
  });
});
