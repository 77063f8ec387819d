/// <reference types="vite/client" />
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, RESPONSE_FORMATS } from '../../src/audio/formats.js';
import { probeAudio } from '../helpers/audio.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import type { FakeServer } from '../fakes/fake-server.js';
import type { ProviderContractCase, SentSpeech } from './provider-case.js';

/**
 * The same contract for every provider adapter: every response format through the real
 * endpoint, the exact upstream request, each error kind, timeouts and cancellation. Each
 * `cases/*.case.ts` file adds one adapter.
 */
const loaders = import.meta.glob<{ contractCase: ProviderContractCase }>('./cases/*.case.ts');
/** `CONTRACT_CASE=openai` (or `openai,azure`) runs only those case files, while developing an adapter. */
const only = process.env['CONTRACT_CASE'];
const wanted = only?.split(',').map((name) => `/${name.trim()}.case.ts`);
const selected = Object.entries(loaders).filter(([path]) => wanted === undefined || wanted.some((suffix) => path.endsWith(suffix)));
const cases = await Promise.all(selected.map(async ([, load]) => (await load()).contractCase));

const EXPECTED_CODEC: Record<string, string> = { mp3: 'mp3', opus: 'opus', aac: 'aac', flac: 'flac', wav: 'pcm_s16le' };

it('has a contract case for every cloud provider (the whole suite runs unfiltered)', () => {
  expect(only, 'CONTRACT_CASE filters the suite; unset it for the full run').toBeUndefined();
  const providers = new Set(cases.map((contractCase) => contractCase.providerId ?? contractCase.name));
  expect([...providers].sort()).toEqual(['aws_polly', 'azure', 'azure_speech', 'elevenlabs', 'gemini', 'minimax', 'openai', 'vertex_ai']);
});

describe.each(cases)('$name adapter', (contractCase) => {
  let fake: FakeServer;
  let running: RunningGateway;
  // Long enough that a loaded two-core machine still serves in time (the AWS SDK's first call is slow), short enough to wait out.
  const TIMEOUT_SECONDS = 2;

  beforeAll(async () => {
    fake = await contractCase.startFake();
    running = await startGateway({
      masterKey: 'sk-contract',
      config: {
        model_list: [
          {
            model_name: 'contract',
            litellm_params: { ...contractCase.litellmParams(fake), timeout: TIMEOUT_SECONDS },
            model_info: { id: `${contractCase.name}-deployment` },
          },
        ],
        router_settings: { num_retries: 0 },
      },
      environment: contractCase.environment?.(fake) ?? {},
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await running?.close();
    await fake?.close();
    await contractCase.cleanup?.();
  });

  const speak = (body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> =>
    fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-contract', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'contract', voice: 'alloy', input: 'Hello from the contract suite.', ...body }),
      ...(signal === undefined ? {} : { signal }),
    });

  it.each(RESPONSE_FORMATS)('serves %s through the endpoint', async (format) => {
    const response = await speak({ response_format: format });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status, bytes.toString('utf8').slice(0, 500)).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(response.headers.get('x-tts-provider')).toBe(contractCase.providerId ?? contractCase.name);
    expect(response.headers.get('x-tts-deployment')).toBe(`${contractCase.name}-deployment`);
    if (format === 'pcm') {
      expect(bytes.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
      expect(bytes.length / 2 / 24_000).toBeGreaterThan(0.5);
    } else {
      const probed = await probeAudio(bytes);
      expect(probed.codec).toBe(EXPECTED_CODEC[format]);
      expect(probed.duration).toBeGreaterThan(0.5);
    }
  });

  it('sends exactly the request the provider expects, with OpenAI voices mapped', async () => {
    const sent: SentSpeech = { model: contractCase.model, input: 'Check <this> & "that", please.', voice: 'alloy', format: 'mp3', speed: 1.25 };
    const response = await speak({ input: sent.input, voice: sent.voice, response_format: sent.format, speed: sent.speed });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    contractCase.checkRequest(fake.lastRequest(), sent);
  });

  it('passes a native voice through unchanged', async () => {
    const sent: SentSpeech = { model: contractCase.model, input: 'Native voice.', voice: contractCase.nativeVoice, format: 'wav', speed: 1 };
    const response = await speak({ input: sent.input, voice: sent.voice, response_format: sent.format });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    contractCase.checkRequest(fake.lastRequest(), sent);
  });

  it("names the upstream's own request id in x-tts-upstream-request-id", async () => {
    const response = await speak({});
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const id = response.headers.get('x-tts-upstream-request-id');
    if (contractCase.namesUpstreamCalls === false) expect(id).toBeNull();
    else expect(id).toMatch(/\S/);
  });

  it.each(contractCase.failures)('maps $name to $status $code', async ({ failure, status, code, retryAfterSeconds }) => {
    fake.inject(failure);
    const response = await speak({});
    const body = (await response.json()) as { error?: { code?: string; message?: string; type?: string } };
    expect(response.status, JSON.stringify(body)).toBe(status);
    expect(body.error?.code).toBe(code);
    expect(body.error?.message).toEqual(expect.any(String));
    if (retryAfterSeconds !== undefined) expect(response.headers.get('retry-after')).toBe(String(retryAfterSeconds));
  });

  it('gives up on a provider that sends nothing within the deployment timeout (504)', async () => {
    fake.inject({ kind: 'slow', delayMs: TIMEOUT_SECONDS * 1000 + 1500 });
    const started = Date.now();
    const response = await speak({});
    const body = (await response.json()) as { error?: { code?: string } };
    expect(response.status).toBe(504);
    expect(body.error?.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_SECONDS * 1000 + 1000);
  });

  it('cancels the upstream call when the client disconnects', async () => {
    fake.inject({ kind: 'slow', delayMs: TIMEOUT_SECONDS * 1000 + 2000 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = speak({}, controller.signal).catch((error: unknown) => error);
    await waitUntil(() => fake.requests.length > 0, 2000);
    controller.abort();
    await pending;
    expect(await waitUntil(() => fake.lastRequest().aborted, 2000)).toBe(true);
    // Well before the deployment timeout: the disconnect, not the deadline, ended the call.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_SECONDS * 1000 - 200);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}
