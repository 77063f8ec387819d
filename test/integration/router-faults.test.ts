import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAzureSpeechFake } from '../fakes/azure-speech/server.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

/** Three OpenAI fakes (two in group `tts`, one in `backup`) and an Azure Speech fake in `mixed`. */
let fakeA: FakeServer;
let fakeB: FakeServer;
let fakeBackup: FakeServer;
let fakeAzure: FakeServer;

beforeAll(async () => {
  [fakeA, fakeB, fakeBackup, fakeAzure] = await Promise.all([startOpenAIFake(), startOpenAIFake(), startOpenAIFake(), startAzureSpeechFake()]);
});
afterAll(async () => {
  await Promise.all([fakeA.close(), fakeB.close(), fakeBackup.close(), fakeAzure.close()]);
});
afterEach(() => {
  for (const fake of [fakeA, fakeB, fakeBackup, fakeAzure]) fake.reset();
});

type Running = RunningGateway & { readonly clock: { now: number } };

const openai = (fake: FakeServer, extra: Record<string, unknown> = {}) => ({
  model: 'openai/tts-1',
  api_key: 'os.environ/OPENAI_KEY',
  api_base: `${fake.baseUrl}/v1`,
  ...extra,
});

/** The real application, composed as the entry point does, on a clock the test moves. */
async function start(
  routerSettings: Record<string, unknown>,
  options: { weights?: [number, number]; random?: () => number; timeoutA?: number } = {},
): Promise<Running> {
  const [weightA, weightB] = options.weights ?? [1, 1];
  const clock = { now: 1_700_000_000_000 };
  const running = await startGateway({
    config: {
      model_list: [
        {
          model_name: 'tts',
          litellm_params: openai(fakeA, { weight: weightA, ...(options.timeoutA === undefined ? {} : { timeout: options.timeoutA }) }),
          model_info: { id: 'dep-a' },
        },
        { model_name: 'tts', litellm_params: openai(fakeB, { weight: weightB }), model_info: { id: 'dep-b' } },
        { model_name: 'backup', litellm_params: openai(fakeBackup), model_info: { id: 'dep-backup' } },
        { model_name: 'mixed', litellm_params: openai(fakeA, { weight: 1000 }), model_info: { id: 'mixed-openai' } },
        {
          model_name: 'mixed',
          litellm_params: { model: 'azure/speech/azure-tts', api_base: fakeAzure.baseUrl, api_key: 'os.environ/AZURE_KEY' },
          model_info: { id: 'mixed-azure' },
        },
      ],
      router_settings: routerSettings,
    },
    environment: { OPENAI_KEY: FAKE_OPENAI_API_KEY, AZURE_KEY: 'azure-speech-key' },
    clock: {
      now: () => clock.now,
      advance: (ms) => {
        clock.now += ms;
      },
    },
    random: options.random ?? (() => 0),
    logLevel: 'debug',
  });
  return Object.assign(running, { clock });
}

function speech(running: Running, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${running.baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tts', input: 'Hello from the router.', voice: 'alloy', ...body }),
  });
}

describe('router faults end to end', () => {
  it('a 429 with a retry hint moves the call to the other deployment at once, and cools the first until the hint ends', async () => {
    const running = await start({ cooldown_time: 60 });
    try {
      fakeA.inject({ kind: 'rate_limited', retryAfterSeconds: 3 });
      const response = await speech(running);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect(response.headers.get('x-tts-deployment')).toBe('dep-b');
      expect(response.headers.get('x-tts-attempts')).toBe('2');
      expect(response.headers.get('x-tts-attempt-log')).toMatch(/^tts\/dep-a:rate_limited:\d+, tts\/dep-b:success:\d+$/);
      expect(running.logs.filter((line) => line['msg'] === 'router: attempt').map((line) => line['outcome'])).toEqual(['rate_limited', 'success']);

      for (let index = 0; index < 4; index += 1) expect((await speech(running)).headers.get('x-tts-deployment')).toBe('dep-b');
      expect(fakeA.requests).toHaveLength(1);
      running.clock.now += 3000;
      expect((await speech(running)).headers.get('x-tts-deployment')).toBe('dep-a');
      expect(running.events).toContainEqual({ type: 'cooldown', modelName: 'tts', deploymentId: 'dep-a', seconds: 3, reason: 'rate_limited' });
    } finally {
      await running.close();
    }
  });

  it('retries a 5xx, then falls back to the configured group with the same input and voice', async () => {
    const running = await start({ fallbacks: [{ tts: ['backup'] }], allowed_fails: 5 });
    try {
      fakeA.inject({ kind: 'server_error' });
      fakeB.inject({ kind: 'unavailable' });
      const response = await speech(running, { voice: 'nova', input: 'Fall back, please.' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-tts-attempt-log')).toMatch(/^tts\/dep-a:unavailable:\d+, tts\/dep-b:unavailable:\d+, backup\/dep-backup:success:\d+$/);
      const sent = JSON.parse(fakeBackup.lastRequest().body.toString('utf8')) as { input: string; voice: string };
      expect(sent).toMatchObject({ input: 'Fall back, please.', voice: 'nova' });
      expect(running.events).toContainEqual({ type: 'fallback', fromModel: 'tts', toModel: 'backup' });
    } finally {
      await running.close();
    }
  });

  it('client fallbacks in the body are used, and one naming an unknown model is a 400', async () => {
    const running = await start({ num_retries: 0 });
    try {
      fakeA.inject({ kind: 'server_error' });
      const response = await speech(running, { fallbacks: ['backup'] });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-tts-deployment')).toBe('dep-backup');
      const refused = await speech(running, { fallbacks: ['no-such-model'] });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('fallbacks');
    } finally {
      await running.close();
    }
  });

  it('a slow first byte past the deployment timeout is a timeout, retried on the other deployment', async () => {
    const running = await start({}, { timeoutA: 0.3 });
    try {
      fakeA.inject({ kind: 'slow', delayMs: 3000 });
      const response = await speech(running);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-tts-attempt-log')).toMatch(/^tts\/dep-a:timeout:\d+, tts\/dep-b:success:\d+$/);
    } finally {
      await running.close();
    }
  });

  it('with every deployment cooling after 429s, answers 429 with Retry-After in OpenAI envelope, without calling upstream', async () => {
    const running = await start({ num_retries: 1 });
    try {
      fakeA.inject({ kind: 'rate_limited', retryAfterSeconds: 30 });
      fakeB.inject({ kind: 'rate_limited', retryAfterSeconds: 20 });
      const first = await speech(running);
      expect(first.status).toBe(429);
      const second = await speech(running);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('20');
      const envelope = (await second.json()) as { error: Record<string, unknown> };
      expect(envelope.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null });
      expect(fakeA.requests).toHaveLength(1);
      expect(fakeB.requests).toHaveLength(1);
    } finally {
      await running.close();
    }
  });

  it('with every deployment cooling after failures, answers 503 with Retry-After', async () => {
    const running = await start({ num_retries: 1, allowed_fails: 0, cooldown_time: 7 });
    try {
      fakeA.inject({ kind: 'server_error' });
      fakeB.inject({ kind: 'server_error' });
      expect((await speech(running)).status).toBe(502);
      const second = await speech(running);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('7');
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('no_deployment_available');
    } finally {
      await running.close();
    }
  });

  it('a failure after the first byte ends the audio stream visibly and is never retried', async () => {
    const running = await start({ num_retries: 3 });
    try {
      fakeA.behaviour.chunkBytes = 512;
      fakeA.inject({ kind: 'drop_mid_stream' });
      const response = await speech(running);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-tts-attempts')).toBe('1');
      await expect(response.arrayBuffer()).rejects.toThrow();
      expect(fakeA.requests.length + fakeB.requests.length).toBe(1);
    } finally {
      await running.close();
    }
  });

  it('a failure after the first SSE event becomes an error event, without done, and is never retried', async () => {
    const running = await start({ num_retries: 3 });
    try {
      fakeA.behaviour.chunkBytes = 512;
      fakeA.inject({ kind: 'drop_mid_stream' });
      const response = await speech(running, { stream_format: 'sse' });
      expect(response.status).toBe(200);
      const events = (await response.text())
        .split('\n\n')
        .filter((block) => block.startsWith('data: '))
        .map((block) => JSON.parse(block.slice(6)) as { type: string });
      expect(events[0]?.type).toBe('speech.audio.delta');
      expect(events.at(-1)?.type).toBe('error');
      expect(events.some((event) => event.type === 'speech.audio.done')).toBe(false);
      expect(fakeA.requests.length + fakeB.requests.length).toBe(1);
    } finally {
      await running.close();
    }
  });

  it('a provider-native voice goes only to the deployment that knows it; an unknown one is a 400', async () => {
    const running = await start({});
    try {
      for (let index = 0; index < 3; index += 1) {
        const response = await speech(running, { model: 'mixed', voice: 'en-GB-SoniaNeural' });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-tts-deployment')).toBe('mixed-azure');
      }
      expect(fakeA.requests).toHaveLength(0);
      expect((await speech(running, { model: 'mixed', voice: 'alloy' })).headers.get('x-tts-deployment')).toBe('mixed-openai');
      const refused = await speech(running, { model: 'mixed', voice: 'Joanna' });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: 'voice_not_supported', param: 'voice' });
    } finally {
      await running.close();
    }
  });

  it('weights give each deployment its share of real traffic', async () => {
    let seed = 99;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const running = await start({}, { weights: [1, 3], random });
    try {
      const served: string[] = [];
      for (let batch = 0; batch < 20; batch += 1) {
        const responses = await Promise.all(Array.from({ length: 20 }, () => speech(running)));
        for (const response of responses) {
          await response.arrayBuffer();
          served.push(response.headers.get('x-tts-deployment') ?? '');
        }
      }
      const shareB = served.filter((id) => id === 'dep-b').length / served.length;
      expect(Math.abs(shareB - 0.75)).toBeLessThan(0.06);
      expect(fakeA.requests.length + fakeB.requests.length).toBe(400);
    } finally {
      await running.close();
    }
  });
});
