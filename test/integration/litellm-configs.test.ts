import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseLitellmYaml } from '../../src/config/load-config.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

const fixture = (name: string): string => new URL(`../fixtures/litellm/${name}`, import.meta.url).pathname;

let fake: FakeServer;
let environment: Record<string, string>;

beforeAll(async () => {
  fake = await startOpenAIFake();
  // No api_key or api_base for `tts` in the file: LiteLLM reads OPENAI_API_KEY and OPENAI_API_BASE.
  environment = {
    OPENAI_API_KEY: FAKE_OPENAI_API_KEY,
    OPENAI_API_BASE: `${fake.baseUrl}/v1`,
    ELEVENLABS_API_KEY: 'el-key',
    MINIMAX_API_KEY: 'mm-key',
    TTS_TIMEOUT_SECONDS: '30',
  };
});
afterAll(async () => {
  await fake.close();
});

/** The gateway on a fixture as LiteLLM would read it; `random` fixes the order the router tries deployments in. */
async function startOn(name: string, options: { masterKey?: string; random?: () => number } = {}): Promise<RunningGateway> {
  const { document } = parseLitellmYaml(await readFile(fixture(name), 'utf8'), name);
  return startGateway({ config: document, environment, ...options });
}

const warningsOf = (running: RunningGateway): string[] => running.logs.filter((line) => line['level'] === 'warn').map((line) => String(line['msg']));

describe('a LiteLLM proxy config with chat, embedding and transcription models beside speech', () => {
  it('serves the speech groups only and names every other group once, saying how to force it', async () => {
    const { config, warnings } = await loadConfig({ path: fixture('proxy-mixed.yaml'), environment });
    expect(config.model_list.map((entry) => entry.model_name)).toEqual(['tts', 'tts-hd', 'elevenlabs-tts', 'minimax-tts']);
    const skipped = [
      'gpt-3.5-turbo',
      'gpt-5-mini',
      'gpt-4o-mini',
      'claude-3-5-sonnet',
      'llama3',
      'bedrock-claude',
      'zephyr-beta',
      'openrouter-mistral',
      'minimax-chat',
      'text-embedding-ada-002',
      'whisper',
      'scribe',
    ];
    for (const group of skipped) {
      const mentions = warnings.filter((warning) => warning.includes(`model group "${group}"`));
      expect(mentions, group).toHaveLength(1);
      expect(mentions[0]).toContain('model_info.mode: audio_speech');
    }
    expect(warnings.find((warning) => warning.includes('"whisper"'))).toContain('model_info.mode is "audio_transcription"');
  });

  it('reads 20_000 as PyYAML does, os.environ/ numbers, and the provider variables for a missing api_key and api_base', async () => {
    const { config } = await loadConfig({ path: fixture('proxy-mixed.yaml'), environment });
    const [tts, hd] = config.model_list;
    expect(tts?.litellm_params).toMatchObject({ rpm: 1000, tpm: 20_000, api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` });
    expect(hd?.litellm_params.timeout).toBe(30);
  });

  it('applies litellm_settings to the router as LiteLLM does, and names each setting without effect', async () => {
    const { config, warnings } = await loadConfig({ path: fixture('proxy-mixed.yaml'), environment });
    expect(config.router_settings).toMatchObject({ num_retries: 3, timeout: 10, fallbacks: [{ tts: ['tts-hd'] }] });
    expect(warnings).toContainEqual(expect.stringMatching(/^router_settings\.fallbacks\.0: "gpt-3\.5-turbo" is not a speech model group/));
    for (const key of [
      'litellm_settings.set_verbose',
      'litellm_settings.context_window_fallbacks',
      'router_settings.enable_pre_call_checks',
      'general_settings.database_url',
      'general_settings.store_model_in_db',
    ]) {
      expect(
        warnings.filter((warning) => warning.startsWith(`${key}: accepted without effect`)),
        key,
      ).toHaveLength(1);
    }
    // Honoured keys are not warned about.
    expect(warnings.some((warning) => /^litellm_settings\.(num_retries|request_timeout|fallbacks|drop_params):/.test(warning))).toBe(false);
  });

  it('starts, lists the speech groups, and calls the provider with the key from OPENAI_API_KEY', async () => {
    const running = await startOn('proxy-mixed.yaml');
    try {
      const models = (await (await fetch(`${running.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string }> };
      expect(models.data.map((model) => model.id)).toEqual(['tts', 'tts-hd', 'elevenlabs-tts', 'minimax-tts']);
      expect(warningsOf(running).some((warning) => warning.includes('model group "claude-3-5-sonnet"'))).toBe(true);
      fake.reset();
      const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tts', input: 'Hello there.', voice: 'alloy' }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      expect(fake.lastRequest().headers['authorization']).toBe(`Bearer ${FAKE_OPENAI_API_KEY}`);
      expect(JSON.parse(fake.lastRequest().body.toString()).model).toBe('tts-1');
    } finally {
      await running.close();
    }
  });

  it('retries litellm_settings.num_retries times, then takes litellm_settings.fallbacks', async () => {
    const running = await startOn('proxy-mixed.yaml');
    try {
      const speak = async (model: string): Promise<Response> => {
        const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model, input: 'Retry me.', voice: 'alloy' }),
        });
        await response.arrayBuffer();
        return response;
      };
      // tts-hd has no fallbacks: num_retries: 3 means four calls at the provider (each 500 says it may be retried).
      fake.reset();
      const retryable = { kind: 'server_error', shouldRetry: true } as const;
      fake.inject(retryable, retryable, retryable);
      expect((await speak('tts-hd')).status).toBe(200);
      expect(fake.requests).toHaveLength(4);
      // tts falls back to tts-hd (gpt-4o-mini-tts at the provider).
      fake.reset();
      fake.inject({ kind: 'auth' });
      const fellBack = await speak('tts');
      expect(fellBack.status).toBe(200);
      expect(fake.requests.map((request) => JSON.parse(request.body.toString()).model)).toEqual(['tts-1', 'gpt-4o-mini-tts']);
    } finally {
      await running.close();
    }
  }, 30_000);
});

describe("LiteLLM's retry_policy, allowed_fails_policy and model_group_alias", () => {
  const speak = async (running: RunningGateway, model: string): Promise<Response> => {
    const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, input: 'Policy.', voice: 'alloy' }),
    });
    await response.arrayBuffer();
    return response;
  };
  const modelsAtFake = (): string[] => fake.requests.map((request) => JSON.parse(request.body.toString()).model);

  it('retries a 500 as InternalServerErrorRetries says though num_retries is 0; an alias resolves and lists unless hidden', async () => {
    const running = await startOn('reliability.yaml', { random: () => 0 });
    try {
      // The fake's 500s say x-should-retry: false; LiteLLM's policy retries them anyway.
      fake.reset();
      fake.inject({ kind: 'server_error' }, { kind: 'server_error' }, { kind: 'server_error' });
      expect((await speak(running, 'openai-tts')).status).toBe(200);
      expect(modelsAtFake()).toEqual(['tts-1', 'tts-1', 'tts-1', 'tts-1']);
      // An auth failure's count is 0: one call, then the error (the gateway's upstream key, so a 502).
      fake.reset();
      fake.inject({ kind: 'auth' });
      expect((await speak(running, 'tts')).status).toBe(502);
      expect(fake.requests).toHaveLength(1);
      fake.reset();
      expect((await speak(running, 'legacy-tts')).status).toBe(200);
      expect(modelsAtFake()).toEqual(['tts-1']);
      const listed = (await (await fetch(`${running.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string }> };
      expect(listed.data.map((model) => model.id)).toEqual(['tts', 'pair', 'openai-tts']);
      const warnings = warningsOf(running);
      expect(warnings.filter((warning) => warning.includes('model_group_alias.gpt-4'))).toEqual([
        'router_settings.model_group_alias.gpt-4: "gpt-4o" is not a speech model group; the alias does not apply here',
      ]);
      expect(warnings.filter((warning) => warning.includes('allowed_fails_policy'))).toEqual([
        "router_settings.allowed_fails_policy.ContentPolicyViolationErrorAllowedFails: accepted without effect (a client's bad request never cools a deployment down, as in LiteLLM)",
      ]);
      expect(warnings.some((warning) => /retry_policy|model_group_alias: accepted/.test(warning))).toBe(false);
    } finally {
      await running.close();
    }
  }, 30_000);

  it('lets a deployment take RateLimitErrorAllowedFails 429s before it cools down', async () => {
    const running = await startOn('reliability.yaml', { random: () => 0 });
    try {
      const limited = { kind: 'rate_limited', retryAfterSeconds: 30 } as const;
      fake.reset();
      fake.inject(limited);
      // RateLimitErrorRetries: 1 lets the call go on to pair-second.
      expect((await speak(running, 'pair')).status).toBe(200);
      // One 429 is allowed: pair-first keeps its traffic (without the policy it would cool down at once).
      fake.inject(limited);
      expect((await speak(running, 'pair')).status).toBe(200);
      // The second passes the count: pair-first cools down, and the next call goes straight to pair-second.
      expect((await speak(running, 'pair')).status).toBe(200);
      expect(modelsAtFake()).toEqual(['tts-1', 'gpt-4o-mini-tts', 'tts-1', 'gpt-4o-mini-tts', 'gpt-4o-mini-tts']);
    } finally {
      await running.close();
    }
  });
});

describe('requests and responses as LiteLLM makes them', () => {
  it("speaks without a voice: the deployment's litellm_params.voice, else the provider's default", async () => {
    const running = await startOn('reliability.yaml', { random: () => 0 });
    try {
      fake.reset();
      for (const model of ['tts', 'pair']) {
        const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model, input: 'No voice named.' }),
        });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
      expect(fake.requests.map((request) => JSON.parse(request.body.toString()).voice)).toEqual(['nova', 'alloy']);
    } finally {
      await running.close();
    }
  });

  it("sends LiteLLM's x-litellm-* headers beside the gateway's own", async () => {
    const running = await startOn('reliability.yaml', { random: () => 0 });
    try {
      fake.reset();
      fake.inject({ kind: 'server_error' });
      const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'call-1' },
        body: JSON.stringify({ model: 'openai-tts', input: 'Headers.', voice: 'alloy' }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const header = (name: string): string | null => response.headers.get(name);
      expect(header('x-litellm-call-id')).toBe('call-1');
      expect(header('x-litellm-model-id')).toBe(header('x-tts-deployment'));
      expect(header('x-litellm-model-group')).toBe('tts');
      expect(header('x-litellm-model-api-base')).toBe(`${fake.baseUrl}/v1`);
      expect(header('x-litellm-response-cost')).toBe(header('x-tts-cost-usd'));
      expect(Number(header('x-litellm-response-duration-ms'))).toBeGreaterThan(0);
      expect(header('x-litellm-attempted-retries')).toBe('1');
      expect(header('x-litellm-attempted-fallbacks')).toBe('0');
    } finally {
      await running.close();
    }
  });

  it('counts the groups tried before the serving one as attempted fallbacks', async () => {
    const running = await startOn('proxy-mixed.yaml');
    try {
      fake.reset();
      fake.inject({ kind: 'auth' });
      const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tts', input: 'Fall back.', voice: 'alloy' }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      expect(response.headers.get('x-litellm-model-group')).toBe('tts-hd');
      expect(response.headers.get('x-litellm-attempted-fallbacks')).toBe('1');
      expect(response.headers.get('x-litellm-attempted-retries')).toBe('0');
    } finally {
      await running.close();
    }
  });
});

describe("LiteLLM's x-litellm-api-key header", () => {
  it('is read as the key, before Authorization, bare or as Bearer; the openai SDK sends it in defaultHeaders', async () => {
    const running = await startOn('proxy-mixed.yaml', { masterKey: 'sk-1234' });
    try {
      // LiteLLM's own pattern: Authorization carries something else, x-litellm-api-key the proxy's key.
      const client = new OpenAI({
        apiKey: 'not-the-proxy-key',
        baseURL: `${running.baseUrl}/v1`,
        defaultHeaders: { 'x-litellm-api-key': 'sk-1234' },
        maxRetries: 0,
      });
      const speech = await client.audio.speech.create({ model: 'tts', input: 'Keyed by header.', voice: 'alloy' });
      expect(Buffer.from(await speech.arrayBuffer()).length).toBeGreaterThan(0);
      const list = async (headers: Record<string, string>): Promise<number> => (await fetch(`${running.baseUrl}/v1/models`, { headers })).status;
      expect(await list({ 'x-litellm-api-key': 'Bearer sk-1234' })).toBe(200);
      expect(await list({ 'x-litellm-api-key': 'sk-wrong', authorization: 'Bearer sk-1234' })).toBe(401);
      expect(await list({ authorization: 'Bearer sk-1234' })).toBe(200);
      expect(await list({})).toBe(401);
    } finally {
      await running.close();
    }
  });
});

describe('a LiteLLM guardrail the gateway does not have', () => {
  it('stops the start, naming the type and the built-in ones', async () => {
    const environmentWithAporia = { ...environment, APORIA_API_KEY_1: 'k', APORIA_API_BASE_1: 'https://aporia.example' };
    const error = await loadConfig({ path: fixture('guardrails.yaml'), environment: environmentWithAporia }).catch((thrown: unknown) => thrown);
    expect(String((error as Error).message)).toContain(
      'guardrails.0.litellm_params.guardrail: "aporia" is not a built-in guardrail; must be one of the built-in guardrails: max_length, blocked_terms, pii_mask, http',
    );
  });
});

describe('a LiteLLM config with no speech model', () => {
  it('starts, says so, and lists no model; placeholder endpoints of chat models are not read', async () => {
    const running = await startOn('chat-only.yaml');
    try {
      const models = (await (await fetch(`${running.baseUrl}/v1/models`)).json()) as { data: unknown[] };
      expect(models.data).toEqual([]);
      expect(warningsOf(running)).toContainEqual(expect.stringMatching(/no speech model is configured/));
    } finally {
      await running.close();
    }
  });
});

describe('errors name the line', () => {
  it('a file PyYAML cannot parse', () => {
    expect(() => parseLitellmYaml('model_list:\n  - model_name: a\n   litellm_params: [\n', 'bad.yaml')).toThrow(/line \d+/);
  });

  it('a schema problem in a speech model, at its line in the file', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const directory = await mkdtemp(join(tmpdir(), 'litellm-config-'));
    const path = join(directory, 'config.yaml');
    await writeFile(
      path,
      [
        'model_list:',
        '  - model_name: chat',
        '    litellm_params:',
        '      model: groq/llama3',
        '  - model_name: tts',
        '    litellm_params:',
        '      model: openai/tts-1',
        '      api_key: sk-1',
        '      rpm: many',
      ].join('\n'),
    );
    await expect(loadConfig({ path, environment: {} })).rejects.toThrow(/model_list\.1\.litellm_params\.rpm: .* \(line 9\)/);
  });
});
