import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedDuration } from '../helpers/audio.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { childProcessNames, waitFor } from '../helpers/processes.js';

const LONG_TEXT = 'This sentence is here to make a long recording that takes a while to produce. '.repeat(400);

let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway();
});
afterAll(async () => {
  await running.close();
});

/** Sends a speech request and resolves with the response once its first body chunk arrives. */
function firstChunk(body: Record<string, unknown>): Promise<{ destroy: () => void; firstChunkBytes: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/v1/audio/speech', running.baseUrl);
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.once('data', (chunk: Buffer) => {
        response.pause();
        resolve({ destroy: () => outgoing.destroy(), firstChunkBytes: chunk.length });
      });
      response.once('error', () => undefined);
    });
    outgoing.on('error', () => undefined);
    outgoing.once('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

const isWorker = (name: string): boolean => name === 'espeak-ng' || name === 'ffmpeg';

describe('streaming and cancellation', () => {
  it('streams the first audio before the whole clip is made, and a disconnect leaves no child process', async () => {
    const started = Date.now();
    const stream = await firstChunk({ model: 'tts-1', voice: 'alloy', input: LONG_TEXT, response_format: 'mp3' });
    const firstByteMs = Date.now() - started;
    expect(stream.firstChunkBytes).toBeGreaterThan(0);
    // The engine and the encoder are still at work on the rest of the text...
    expect(childProcessNames().filter(isWorker).sort()).toEqual(['espeak-ng', 'ffmpeg']);
    stream.destroy();
    // ...and both are gone soon after the client leaves.
    expect(await waitFor(() => childProcessNames().filter(isWorker).length === 0, 3000)).toBe(true);
    // About 30 minutes of speech: the first byte cannot have waited for all of it.
    expect(firstByteMs).toBeLessThan(5000);
  });

  it('leaves no child process after a disconnect on the pcm path either', async () => {
    const stream = await firstChunk({ model: 'tts-1', voice: 'echo', input: LONG_TEXT, response_format: 'pcm' });
    expect(childProcessNames().filter(isWorker).length).toBeGreaterThan(0);
    stream.destroy();
    expect(await waitFor(() => childProcessNames().filter(isWorker).length === 0, 3000)).toBe(true);
  });

  it('speaks a long text whole (no length limit from argv)', async () => {
    const input = 'Every word of this long passage must reach the engine through its standard input. '.repeat(250);
    expect(input.length).toBeGreaterThan(20_000);
    const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input, response_format: 'pcm', speed: 4 }),
    });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const seconds = bytes.length / 2 / 24_000;
    // 3,500 words at espeak's top rate of 450 a minute: about eight minutes.
    expect(seconds).toBeGreaterThan(5 * 60);
    expect(seconds).toBeLessThan(12 * 60);
    expect(childProcessNames().filter(isWorker)).toEqual([]);
  });
});

describe('the WASM engine, for machines without the espeak-ng binary', () => {
  let wasm: RunningGateway;
  beforeAll(async () => {
    wasm = await startGateway({ engine: 'wasm' });
  });
  afterAll(async () => {
    await wasm.close();
  });

  it('speaks, and reports itself in readiness', async () => {
    const ready = (await (await fetch(`${wasm.baseUrl}/health/readiness`)).json()) as { checks: { local_engine: { detail: string } } };
    expect(ready.checks.local_engine.detail).toBe('wasm');
    const response = await fetch(`${wasm.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      body: JSON.stringify({ model: 'tts-1', voice: 'nova', input: 'The web assembly engine speaks too.', response_format: 'wav' }),
    });
    expect(response.status).toBe(200);
    const seconds = await decodedDuration(Buffer.from(await response.arrayBuffer()));
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(5);
  });

  it('takes a text past the length that overflows its argv handling', async () => {
    const input = 'A sentence long enough to matter. '.repeat(450);
    expect(input.length).toBeGreaterThan(15_000);
    const response = await fetch(`${wasm.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input, response_format: 'pcm', speed: 2.5 }),
    });
    expect(response.status).toBe(200);
    const seconds = (await response.arrayBuffer()).byteLength / 2 / 24_000;
    expect(seconds).toBeGreaterThan(60);
  });
});
