import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

/** With Redis away, the job API answers 503 with Retry-After, never a 500; back when Redis is. */
let redis: TestRedis;
let running: RunningGateway;

beforeAll(async () => {
  redis = await startTestRedis();
  running = await startGateway({
    clock: movableClock(),
    redis: redis.url,
    masterKey: 'sk-master',
    config: { model_list: [{ model_name: 'tts-1', litellm_params: { model: 'espeak/en-us' } }] },
  });
});
afterAll(async () => {
  await running.close();
  await redis.stop();
});

const createJob = (): Promise<Response> =>
  fetch(`${running.baseUrl}/v1/audio/speech/jobs`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tts-1', voice: 'alloy', items: [{ input: 'Hello.' }] }),
  });

describe('the job API while Redis is down', () => {
  it('answers 503 service_unavailable with Retry-After, then works again after Redis returns', async () => {
    const before = await createJob();
    expect(before.status).toBe(202);
    const { id } = (await before.json()) as { id: string };

    await redis.halt();

    const during = await createJob();
    const body = (await during.json()) as { error: { code: string } };
    expect(during.status).toBe(503);
    expect(body.error.code).toBe('service_unavailable');
    expect(during.headers.get('retry-after')).toBe('1');
    const read = await fetch(`${running.baseUrl}/v1/audio/speech/jobs/${id}`, { headers: { authorization: 'Bearer sk-master' } });
    expect(read.status).toBe(503);

    await redis.resume();
    let after: Response | undefined;
    for (let attempt = 0; attempt < 50 && after?.status !== 200; attempt += 1) {
      after = await fetch(`${running.baseUrl}/v1/audio/speech/jobs/${id}`, { headers: { authorization: 'Bearer sk-master' } });
      if (after.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after?.status).toBe(200);
  });
});
