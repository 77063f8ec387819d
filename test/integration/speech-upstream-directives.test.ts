import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

/**
 * What the upstream says about its own call reaches the gateway's decisions and its client:
 * OpenAI's `x-should-retry` overrides the status (as openai-node honours it), and the
 * upstream's request id comes back in `x-tts-upstream-request-id` and the log line.
 */
describe('an OpenAI deployment with retries', () => {
  let fake: FakeServer;
  let running: RunningGateway;

  beforeAll(async () => {
    fake = await startOpenAIFake();
    running = await startGateway({
      masterKey: 'sk-master',
      config: {
        model_list: [
          {
            model_name: 'tts',
            litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/OPENAI_API_KEY', api_base: `${fake.baseUrl}/v1` },
            model_info: { id: 'only' },
          },
        ],
        router_settings: { num_retries: 2 },
      },
      environment: { OPENAI_API_KEY: FAKE_OPENAI_API_KEY },
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  const speak = () =>
    fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts', input: 'Hello there.', voice: 'alloy' }),
    });

  it('retries a 400 the upstream marks x-should-retry: true', async () => {
    fake.inject({ kind: 'bad_request', shouldRetry: true });
    const response = await speak();
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(fake.requests).toHaveLength(2);
    expect(response.headers.get('x-tts-attempts')).toBe('2');
  });

  it('does not retry a 400 without the header', async () => {
    fake.inject({ kind: 'bad_request' });
    const response = await speak();
    await response.arrayBuffer();
    expect(response.status).toBe(400);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 500 the upstream marks x-should-retry: false', async () => {
    // The fake's 5xx carry `x-should-retry: false`, as openai-node's tests expect of a server that wants no retry.
    fake.inject({ kind: 'server_error' });
    const response = await speak();
    await response.arrayBuffer();
    expect(response.status).toBe(502);
    expect(fake.requests).toHaveLength(1);
  });

  it("names the upstream's request id in x-tts-upstream-request-id and the log line", async () => {
    const response = await speak();
    await response.arrayBuffer();
    const id = response.headers.get('x-tts-upstream-request-id');
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    const served = running.logs.filter((line) => line['msg'] === 'speech served').at(-1);
    expect(served?.['upstreamRequestId']).toBe(id);
  });
});
