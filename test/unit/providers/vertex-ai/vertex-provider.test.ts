import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { vertexAiFactory } from '../../../../src/providers/vertex-ai/index.js';
import { readJson } from '../../../fakes/fake-server.js';
import { startVertexFake, type VertexFake } from '../../../fakes/google/server.js';
import { sampleAudio } from '../../../fakes/sample-audio.js';
import { collect, dependenciesWith, rejection } from '../google/test-support.js';

let fake: VertexFake;
let directory: string;
let keyFile: string;

beforeAll(async () => {
  fake = await startVertexFake();
  directory = mkdtempSync(join(tmpdir(), 'vertex-unit-'));
  keyFile = join(directory, 'sa.json');
  writeFileSync(keyFile, JSON.stringify(fake.serviceAccount()));
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

const create = (model: string, params: Record<string, unknown> = {}) =>
  vertexAiFactory.create({
    model,
    params: { model: `vertex_ai/${model}`, vertex_credentials: keyFile, api_base: fake.baseUrl, ...params },
    dependencies: dependenciesWith(),
  });
const request = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
  input: 'Hello.',
  voice: 'alloy',
  format: 'wav',
  speed: 1,
  signal: new AbortController().signal,
  ...overrides,
});

describe('vertex_ai factory', () => {
  it('sends model strings with "gemini" to Gemini TTS and the rest to Cloud TTS, as LiteLLM does', () => {
    expect(create('gemini-2.5-flash-preview-tts').capabilities()).toMatchObject({
      instructions: true,
      speed: undefined,
      maxInputCharacters: 4000,
    });
    expect(create('chirp').capabilities()).toMatchObject({
      instructions: false,
      speed: { min: 0.25, max: 2 },
      maxInputCharacters: 5000,
    });
  });

  it('takes the project from the key file when vertex_project is not set', async () => {
    const provider = create('gemini-2.5-flash-preview-tts');
    const result = await provider.synthesize(request());
    await collect(result.audio);
    expect(fake.lastRequest().path).toBe(
      `/v1/projects/${fake.projectId}/locations/us-central1/publishers/google/models/gemini-2.5-flash-preview-tts:generateContent`,
    );
  });

  it("accepts LiteLLM's vertex_ai_* aliases", async () => {
    const provider = vertexAiFactory.create({
      model: 'gemini-2.5-pro-preview-tts',
      params: {
        model: 'vertex_ai/gemini-2.5-pro-preview-tts',
        vertex_ai_project: fake.projectId,
        vertex_ai_location: 'global',
        vertex_ai_credentials: keyFile,
        api_base: fake.baseUrl,
      },
      dependencies: dependenciesWith(),
    });
    await collect((await provider.synthesize(request())).audio);
    expect(fake.lastRequest().path).toContain('/locations/global/publishers/google/models/gemini-2.5-pro-preview-tts:generateContent');
  });

  it('refuses a Gemini deployment without any project, and a location that is not a name', () => {
    const noProject = JSON.stringify({ ...fake.serviceAccount(), project_id: undefined });
    expect(() => create('gemini-2.5-flash-preview-tts', { vertex_credentials: noProject })).toThrow(/vertex_project is required/);
    expect(() => create('gemini-2.5-flash-preview-tts', { vertex_location: 'evil.com/x' })).toThrow();
    expect(() => create('chirp', { vertex_credentials: join(directory, 'absent.json') })).toThrow(/cannot read the file/);
  });
});

describe('Gemini TTS on Vertex against the fake', () => {
  it('answers pcm at the mimeType rate, with a bearer token from the fake token endpoint', async () => {
    const provider = create('gemini-2.5-flash-preview-tts', { vertex_project: fake.projectId });
    const result = await provider.synthesize(request({ voice: 'sage', instructions: 'Calmly', speed: 1.2 }));
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect((await collect(result.audio)).equals(sampleAudio('pcm', { sampleRate: 24_000 }))).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ setting: 'speed' })]);
    const sent = fake.lastRequest();
    expect(fake.issuedTokens.has((sent.headers['authorization'] ?? '').replace('Bearer ', ''))).toBe(true);
    expect(readJson(sent)).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Calmly: Hello.' }] }],
      generationConfig: { speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Vindemiatrix' } } } },
    });
  });

  it('reads a project the credentials cannot use (403) as auth', async () => {
    const provider = create('gemini-2.5-flash-preview-tts', { vertex_project: 'someone-else' });
    expect(await rejection(provider.synthesize(request()))).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('reads a candidate stopped for SAFETY as content_rejected', async () => {
    fake.inject({ kind: 'content_rejected' });
    const provider = create('gemini-2.5-flash-preview-tts');
    expect(await rejection(provider.synthesize(request()))).toMatchObject({ kind: 'content_rejected' });
  });
});

describe('Cloud TTS against the fake', () => {
  it.each([
    ['wav', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    ['pcm', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    ['flac', { format: 'pcm', sampleRate: 24_000, channels: 1 }],
    ['mp3', { format: 'mp3', sampleRate: 24_000, channels: 1 }],
    ['opus', { format: 'opus', sampleRate: 24_000, channels: 1 }],
  ] as const)('answers %s with encoding %o', async (format, encoding) => {
    const result = await create('chirp').synthesize(request({ format }));
    expect(result.encoding).toEqual(encoding);
    const audio = await collect(result.audio);
    // LINEAR16's WAV header is gone: what remains is exactly the fake's samples.
    if (format === 'wav' || format === 'pcm') expect(audio.equals(sampleAudio('pcm', { sampleRate: 24_000 }))).toBe(true);
    else expect(audio.length).toBeGreaterThan(0);
  });

  it('returns the clamped-speed warning and sends the clamped rate', async () => {
    const result = await create('chirp').synthesize(request({ speed: 3 }));
    await collect(result.audio);
    expect(result.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested: 3, applied: 2 }]);
    expect(readJson(fake.lastRequest())).toMatchObject({ audioConfig: { speakingRate: 2 } });
  });

  it('reads a voice Cloud TTS does not have (400 INVALID_ARGUMENT) as invalid_request', async () => {
    expect(await rejection(create('chirp').synthesize(request({ voice: 'not a voice' })))).toMatchObject({ kind: 'invalid_request', status: 400 });
  });

  it('reads a per-day character quota as quota_exceeded and a per-minute limit as rate_limited', async () => {
    fake.inject({ kind: 'quota_exceeded' }, { kind: 'rate_limited', retryAfterSeconds: 3 });
    expect(await rejection(create('chirp').synthesize(request()))).toMatchObject({ kind: 'quota_exceeded', status: 429, retryable: false });
    expect(await rejection(create('chirp').synthesize(request()))).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 3000 });
  });
});
