import { describe, expect, it } from 'vitest';
import { createMiniMaxProvider } from '../../../../src/providers/minimax/minimax-provider.js';
import type { MiniMaxSettings } from '../../../../src/providers/minimax/minimax-request.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';

const SETTINGS: MiniMaxSettings = { model: 'speech-2.8-hd', apiKey: 'mm-key', apiBase: 'https://api.minimax.io', volume: 1, pitch: 0 };
const speech = (signal = new AbortController().signal): SpeechRequest => ({
  input: 'Hi',
  voice: 'alloy',
  format: 'pcm',
  speed: 1,
  signal,
});
const event = (payload: object): string => `data: ${JSON.stringify(payload)}\n\n`;

/** A fetch answering with `events` as an event stream, the second part only after `release`. */
function streaming(first: string, rest: string): { fetch: typeof globalThis.fetch; release: () => void; calls: Request[] } {
  let release = (): void => undefined;
  const calls: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push(new Request(input, init));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(first));
        release = () => {
          controller.enqueue(new TextEncoder().encode(rest));
          controller.close();
        };
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, release: () => release(), calls };
}

describe('MiniMax provider', () => {
  it('resolves at the first audio chunk, with the trace id, then streams the rest', async () => {
    const upstream = streaming(
      event({ data: { audio: '0102', status: 1 }, trace_id: 'trace-7', base_resp: { status_code: 0 } }),
      event({ data: { audio: '03', status: 1 }, base_resp: { status_code: 0 } }) +
        event({ data: { audio: '010203', status: 2 }, extra_info: {}, base_resp: { status_code: 0 } }),
    );
    const provider = createMiniMaxProvider({ settings: SETTINGS, fetch: upstream.fetch });
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
    const provider = createMiniMaxProvider({ settings: SETTINGS, fetch: upstream.fetch });
    const error = await provider.synthesize(speech()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'content_rejected', upstreamRequestId: 'trace-8' });
  });

  it('maps a gateway-level HTTP error through its body', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response(JSON.stringify({ base_resp: { status_code: 1004, status_msg: 'login fail' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    const provider = createMiniMaxProvider({ settings: SETTINGS, fetch });
    await expect(provider.synthesize(speech())).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('turns the deadline firing while waiting for the first chunk into a timeout', async () => {
    // As fetch does: aborting its signal errors the body being read, with the signal's reason.
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(': connected\n\n'));
          init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    const controller = new AbortController();
    const provider = createMiniMaxProvider({ settings: SETTINGS, fetch });
    setTimeout(() => controller.abort(new DOMException('no audio within 1 s', 'TimeoutError')), 20);
    await expect(provider.synthesize(speech(controller.signal))).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('is truthful about what it can do', () => {
    expect(createMiniMaxProvider({ settings: SETTINGS, fetch: globalThis.fetch }).capabilities()).toEqual({
      maxInputCharacters: 9999,
      speed: { min: 0.5, max: 2 },
      instructions: false,
      streaming: true,
    });
  });
});
