import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../src/domain/principal.js';
import { unauthorized } from '../../src/domain/errors.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

let running: RunningGateway;
let client: OpenAI;

/** A restricted key next to the master key, to reach the 403 path. */
const authenticator: Authenticator = {
  async authenticate(token) {
    if (token === 'sk-master') return { kind: 'master', keyId: 'master' };
    if (token === 'sk-only-tts-1') return { kind: 'virtual_key', keyId: 'key-1', allowedModels: ['tts-1'] };
    throw unauthorized(token === undefined ? 'Missing API key.' : 'Incorrect API key provided.');
  },
};

beforeAll(async () => {
  running = await startGateway({ authenticator });
  client = new OpenAI({ apiKey: 'sk-master', baseURL: `${running.baseUrl}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await running.close();
});

interface Envelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function post(
  body: string | Uint8Array,
  headers: Record<string, string> = { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
): Promise<{ status: number; envelope: Envelope; headers: Headers }> {
  const response = await fetch(`${running.baseUrl}/v1/audio/speech`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, envelope: JSON.parse(text) as Envelope, headers: response.headers };
}

function expectEnvelope(envelope: Envelope): void {
  expect(Object.keys(envelope)).toEqual(['error']);
  expect(Object.keys(envelope.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(envelope.error.message.length).toBeGreaterThan(5);
}

describe('errors from POST /v1/audio/speech', () => {
  const valid = { model: 'tts-1', input: 'Hello.', voice: 'alloy' };
  const invalidBodies: Array<[string, Record<string, unknown>, string]> = [
    ['a missing input', { model: 'tts-1', voice: 'alloy' }, 'input'],
    ['an empty input', { ...valid, input: '' }, 'input'],
    ['a whitespace-only input', { ...valid, input: '   \n ' }, 'input'],
    ['a voice that is neither a name nor { id }', { ...valid, voice: 42 }, 'voice'],
    ['a missing model', { input: 'Hello.', voice: 'alloy' }, 'model'],
    ['an unknown response_format', { ...valid, response_format: 'ogg' }, 'response_format'],
    ['a speed below 0.25', { ...valid, speed: 0.1 }, 'speed'],
    ['a speed above 4', { ...valid, speed: 4.5 }, 'speed'],
    ['a speed that is a string', { ...valid, speed: 'fast' }, 'speed'],
    ['an unknown stream_format', { ...valid, stream_format: 'chunks' }, 'stream_format'],
    ['an input that is not a string', { ...valid, input: 42 }, 'input'],
  ];

  it.each(invalidBodies)('rejects %s with 400 naming the field', async (_name, body, param) => {
    const { status, envelope } = await post(JSON.stringify(body));
    expect(status).toBe(400);
    expectEnvelope(envelope);
    expect(envelope.error.type).toBe('invalid_request_error');
    expect(envelope.error.param).toBe(param);
  });

  it('rejects a voice neither OpenAI nor espeak knows with 400', async () => {
    const { status, envelope } = await post(JSON.stringify({ ...valid, voice: 'zzqq' }));
    expect(status).toBe(400);
    expectEnvelope(envelope);
    expect(envelope.error.message).toMatch(/voice/);
  });

  it('rejects a voice that could be read as an option with 400', async () => {
    const { status } = await post(JSON.stringify({ ...valid, voice: '--help' }));
    expect(status).toBe(400);
  });

  it('rejects malformed JSON with 400', async () => {
    const { status, envelope } = await post('{"model": "tts-1", "input": ');
    expect(status).toBe(400);
    expectEnvelope(envelope);
    expect(envelope.error.code).toBe('invalid_json');
  });

  it('rejects a JSON body that is not an object with 400', async () => {
    const { status, envelope } = await post('["tts-1"]');
    expect(status).toBe(400);
    expectEnvelope(envelope);
  });

  it('rejects a body whose Content-Encoding does not match it with 400, and reads one that does', async () => {
    const json = JSON.stringify(valid);
    const headers = (encoding: string): Record<string, string> => ({
      authorization: 'Bearer sk-master',
      'content-type': 'application/json',
      'content-encoding': encoding,
    });
    for (const [encoding, body] of [
      ['gzip', json],
      ['deflate', gzipSync(json)],
      ['gzip', gzipSync(json).subarray(0, 12)],
    ] as const) {
      const { status, envelope } = await post(body, headers(encoding));
      expect(status, encoding).toBe(400);
      expectEnvelope(envelope);
      expect(envelope.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_body' });
      expect(envelope.error.message).toContain('Content-Encoding');
    }
    const unsupported = await post(json, headers('zstd'));
    expect(unsupported.status).toBe(415);
    expectEnvelope(unsupported.envelope);
    expect(unsupported.envelope.error.message).toContain('zstd');

    const response = await fetch(`${running.baseUrl}/v1/audio/speech`, { method: 'POST', headers: headers('gzip'), body: gzipSync(json) });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('rejects a path with broken percent-encoding with 400', async () => {
    for (const path of ['/v1/models/%E0%A4', '/v1/models/%ZZ', '/models/%C0%AF']) {
      const response = await fetch(`${running.baseUrl}${path}`, { headers: { authorization: 'Bearer sk-master' } });
      expect([path, response.status]).toEqual([path, 400]);
      const envelope = (await response.json()) as Envelope;
      expectEnvelope(envelope);
      expect(envelope.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_path' });
    }
  });

  it('rejects a multi-megabyte body with 413 naming the limit and the size', async () => {
    const body = JSON.stringify({ ...valid, input: 'a'.repeat(6 * 1024 * 1024) });
    const { status, envelope } = await post(body);
    expect(status).toBe(413);
    expectEnvelope(envelope);
    expect(envelope.error.message).toContain('6.0 MB');
    expect(envelope.error.message).toContain('4.0 MB');
  });

  it('rejects an input longer than the model accepts with 400', async () => {
    const { status, envelope } = await post(JSON.stringify({ ...valid, input: 'word '.repeat(20_001) }));
    expect(status).toBe(400);
    expect(envelope.error.code).toBe('input_too_long');
    expect(envelope.error.message).toContain('100000');
  });

  it('answers an unknown model with 404', async () => {
    const { status, envelope } = await post(JSON.stringify({ ...valid, model: 'tts-9' }));
    expect(status).toBe(404);
    expectEnvelope(envelope);
    expect(envelope.error.code).toBe('model_not_found');
    expect(envelope.error.param).toBe('model');
  });

  it('answers a missing key with 401', async () => {
    const { status, envelope } = await post(JSON.stringify(valid), { 'content-type': 'application/json' });
    expect(status).toBe(401);
    expectEnvelope(envelope);
    expect(envelope.error.type).toBe('authentication_error');
  });

  it('answers a wrong key with 401', async () => {
    const { status } = await post(JSON.stringify(valid), { authorization: 'Bearer sk-wrong' });
    expect(status).toBe(401);
  });

  it('answers a malformed Authorization header with 401', async () => {
    const { status } = await post(JSON.stringify(valid), { authorization: 'Basic abc' });
    expect(status).toBe(401);
  });

  it('answers a key that may not use the model with 403', async () => {
    const { status, envelope } = await post(JSON.stringify({ ...valid, model: 'tts-1-hd' }), { authorization: 'Bearer sk-only-tts-1' });
    expect(status).toBe(403);
    expectEnvelope(envelope);
    expect(envelope.error.type).toBe('permission_error');
  });

  it('lets the restricted key use its model', async () => {
    const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-only-tts-1' },
      body: JSON.stringify(valid),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });

  it('surfaces errors to the openai SDK as typed exceptions', async () => {
    const failure = await client.audio.speech.create({ model: 'tts-9', voice: 'alloy', input: 'x' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    const notFound = failure as InstanceType<typeof OpenAI.NotFoundError>;
    expect(notFound.status).toBe(404);
    expect(notFound.code).toBe('model_not_found');
    expect(notFound.requestID).toMatch(/^req_/);
    const unauthorized = await new OpenAI({ apiKey: 'sk-wrong', baseURL: `${running.baseUrl}/v1`, maxRetries: 0 }).audio.speech
      .create({ model: 'tts-1', voice: 'alloy', input: 'x' })
      .catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('answers an unknown route with 404 in the envelope', async () => {
    const response = await fetch(`${running.baseUrl}/v1/audio/nothing`, { headers: { authorization: 'Bearer sk-master' } });
    expect(response.status).toBe(404);
    expectEnvelope((await response.json()) as Envelope);
  });

  it('logs no key', async () => {
    await post(JSON.stringify(valid), { authorization: 'Bearer sk-wrong-secret-value' });
    expect(JSON.stringify(running.logs)).not.toContain('sk-wrong-secret-value');
    expect(JSON.stringify(running.logs)).not.toContain('sk-master');
  });
});

describe('models and health', () => {
  it('lists the model groups in OpenAI shape', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts']);
  });

  it('lists only the models a restricted key may use', async () => {
    const response = await fetch(`${running.baseUrl}/v1/models`, { headers: { authorization: 'Bearer sk-only-tts-1' } });
    const body = (await response.json()) as { data: Array<{ id: string }> };
    expect(body.data.map((model) => model.id)).toEqual(['tts-1']);
  });

  it('retrieves one model and 404s an unknown one', async () => {
    expect((await client.models.retrieve('tts-1-hd')).id).toBe('tts-1-hd');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers liveliness and readiness without a key', async () => {
    const live = await fetch(`${running.baseUrl}/health/liveliness`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${running.baseUrl}/health/readiness`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('healthy');
  });
});
