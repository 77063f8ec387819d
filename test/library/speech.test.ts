import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, BadRequestError, ProviderError, RateLimitError, speech, UpstreamError } from '../../src/library/index.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { probeAudio } from '../helpers/audio.js';

const run = promisify(execFile);
let directory: string;
let fake: FakeServer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-library-'));
  fake = await startOpenAIFake();
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  fake.behaviour.chunkDelayMs = 0;
});

const openai = {
  model: 'openai/tts-1',
  apiKey: FAKE_OPENAI_API_KEY,
  get apiBase() {
    return `${fake.baseUrl}/v1`;
  },
};

/** The names of this process's child processes (espeak-ng, ffmpeg) still running. */
async function children(): Promise<string[]> {
  const { stdout } = await run('ps', ['--ppid', String(process.pid), '-o', 'comm=']).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name !== '' && name !== 'ps');
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('speech()', () => {
  it('speaks with the local engine into a decodable mp3, and says who served it', async () => {
    const input = 'The library speaks with the same code as the server.';
    const response = await speech({ model: 'espeak/en-us', voice: 'alloy', input });
    expect(response.format).toBe('mp3');
    expect(response.contentType).toBe('audio/mpeg');
    expect(response.deployment).toMatchObject({ modelName: 'espeak/en-us', provider: 'espeak', model: 'en-us' });
    expect(response.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(response.characters).toBe(input.length);
    expect(response.cost).toBe(0);
    const path = join(directory, 'hello.mp3');
    const written = await response.streamToFile(path);
    const bytes = await readFile(path);
    expect(written).toEqual({ path, bytes: bytes.length });
    const probed = await probeAudio(bytes);
    expect(probed.codec).toBe('mp3');
    expect(probed.duration).toBeGreaterThan(1);
  });

  it('sends the provider the options it was given, and streams what came back', async () => {
    const response = await speech({ ...openai, voice: 'nova', input: 'Hello there.', responseFormat: 'opus', speed: 1.5, instructions: 'Warmly.' });
    const sent = JSON.parse(fake.lastRequest().body.toString('utf8')) as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'tts-1', voice: 'nova', input: 'Hello there.', response_format: 'opus', speed: 1.5 });
    expect(fake.lastRequest().headers['authorization']).toBe(`Bearer ${FAKE_OPENAI_API_KEY}`);
    const audio = new Uint8Array(await response.arrayBuffer());
    expect((await probeAudio(audio)).codec).toBe('opus');
    // tts-1 takes no instructions: a warning, not silence.
    expect(response.warnings.join(' ')).toContain('instructions');
    expect(response.contentType).toBe('audio/ogg');
  });

  it('reads as a Node stream and as an async iterable', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of (await speech({ ...openai, voice: 'alloy', input: 'One.', responseFormat: 'wav' })).toReadable()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 4).toString('latin1')).toBe('RIFF');
    let bytes = 0;
    const response = await speech({ ...openai, voice: 'alloy', input: 'Two.', responseFormat: 'mp3' });
    for await (const chunk of response) bytes += chunk.length;
    expect(bytes).toBeGreaterThan(0);
    await expect(response.arrayBuffer()).rejects.toThrow('already consumed');
  });

  it('refuses bad options with the typed error the HTTP API would answer, naming the option', async () => {
    const speed = await speech({ model: 'espeak/en-us', voice: 'alloy', input: 'x', speed: 9 }).catch((error: unknown) => error);
    expect(speed).toBeInstanceOf(BadRequestError);
    expect(speed).toBeInstanceOf(ApiError);
    expect(speed).toMatchObject({ status: 400, param: 'speed', code: 'invalid_value' });
    const format = await speech({ model: 'espeak/en-us', voice: 'alloy', input: 'x', responseFormat: 'mp4' as 'mp3' }).catch((error: unknown) => error);
    expect(format).toMatchObject({ name: 'BadRequestError', status: 400, param: 'responseFormat' });
    const model = await speech({ model: 'nosuch/tts', voice: 'alloy', input: 'x' }).catch((error: unknown) => error);
    expect(model).toMatchObject({ name: 'BadRequestError', status: 400, param: 'model' });
    expect((model as Error).message).toContain('unknown provider prefix');
  });

  it('maps upstream failures to typed errors with status, code and retryAfter, the provider error as cause', async () => {
    fake.inject({ kind: 'rate_limited', retryAfterSeconds: 7 });
    const limited = await speech({ ...openai, voice: 'alloy', input: 'x', maxRetries: 0 }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: 7, type: 'rate_limit_error' });
    const wrongKey = await speech({ ...openai, apiKey: 'sk-wrong', voice: 'alloy', input: 'x', maxRetries: 0 }).catch((error: unknown) => error);
    expect(wrongKey).toBeInstanceOf(UpstreamError);
    expect(wrongKey).toMatchObject({ status: 502, code: 'upstream_authentication_failed' });
    expect((wrongKey as Error).cause).toBeDefined();
  });

  it('retries a retryable failure maxRetries times', async () => {
    // A first attempt past its deadline is worth another (an upstream 5xx here says x-should-retry: false).
    fake.inject({ kind: 'slow', delayMs: 5000 });
    const response = await speech({ ...openai, voice: 'alloy', input: 'Again.', maxRetries: 1, timeout: 0.5 });
    expect(response.attempts.map((attempt) => attempt.outcome)).toEqual([expect.not.stringMatching(/^success$/), 'success']);
    expect(fake.requests).toHaveLength(2);
    response.cancel();
  });
});

describe('streamToFile', () => {
  it('leaves no file, and no partial file, when the audio fails mid-stream', async () => {
    fake.inject({ kind: 'drop_mid_stream' });
    const path = join(directory, 'broken.mp3');
    const response = await speech({ ...openai, voice: 'alloy', input: 'This stream breaks.', responseFormat: 'mp3', maxRetries: 0 });
    await expect(response.streamToFile(path)).rejects.toThrow();
    expect((await readdir(directory)).filter((name) => name.includes('broken'))).toEqual([]);
  });
});

describe('abort through an AbortSignal', () => {
  it('before the first byte: rejects with the abort reason and aborts the upstream call', async () => {
    fake.inject({ kind: 'slow', delayMs: 30_000 });
    const controller = new AbortController();
    const pending = speech({ ...openai, voice: 'alloy', input: 'Never heard.', signal: controller.signal });
    await eventually(() => fake.requests.length === 1, 'the upstream received the call');
    controller.abort();
    const error = await pending.catch((failure: unknown) => failure);
    expect(error).toMatchObject({ name: 'AbortError' });
    await eventually(() => fake.requests[0]?.aborted === true, 'the upstream call was aborted');
  });

  it('while the audio streams: the iteration rejects, no file is left, and espeak-ng and ffmpeg end', async () => {
    const controller = new AbortController();
    const input = 'A long text that takes a while to speak. '.repeat(400);
    const response = await speech({ model: 'espeak/en-us', voice: 'alloy', input, signal: controller.signal });
    expect(await children()).not.toEqual([]);
    const path = join(directory, 'aborted.mp3');
    const writing = response.streamToFile(path);
    controller.abort(new DOMException('stopped by the test', 'AbortError'));
    await expect(writing).rejects.toMatchObject({ name: 'AbortError', message: 'stopped by the test' });
    expect((await readdir(directory)).filter((name) => name.includes('aborted'))).toEqual([]);
    await eventually(async () => (await children()).length === 0, 'espeak-ng and ffmpeg ended');
  });

  it('an already aborted signal starts nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(speech({ ...openai, voice: 'alloy', input: 'x', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.requests).toHaveLength(0);
  });
});

it('ProviderError is the class adapters throw, exported for callers that inspect causes', () => {
  expect(new ProviderError({ kind: 'timeout', message: 'slow', provider: 'openai' }).retryable).toBe(true);
});
