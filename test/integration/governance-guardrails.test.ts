import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCase as openai } from '../contract/cases/openai.case.js';
import { readJson, type FakeServer } from '../fakes/fake-server.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';

const MASTER = 'sk-master-guardrails';

let fake: FakeServer;
let policy: Server;
let advisory: Server;
let running: RunningGateway;
const advisoryCalls: string[] = [];

/** A guardrail service: blocks "BLOCKME", rewrites "REWRITE", never answers "SLOW"; allows the rest. */
function startPolicy(): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string; model: string; guardrail: string };
      if (request.headers['authorization'] !== 'Bearer policy-secret' || body.guardrail !== 'policy' || !['tts-1', 'short'].includes(body.model)) {
        response.writeHead(401).end();
        return;
      }
      if (body.input.includes('SLOW')) return;
      response.writeHead(200, { 'content-type': 'application/json' });
      if (body.input.includes('BLOCKME')) response.end(JSON.stringify({ action: 'block', reason: 'not on this channel' }));
      else if (body.input.includes('REWRITE')) response.end(JSON.stringify({ action: 'rewrite', text: 'Rewritten by the policy service.' }));
      else response.end(JSON.stringify({ action: 'allow' }));
    });
  });
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`;
}

beforeAll(async () => {
  fake = await openai.startFake();
  policy = startPolicy();
  // Always failing, and set to fail open: every request must still pass.
  advisory = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      advisoryCalls.push(request.url ?? '');
      response.writeHead(500).end();
    });
  });
  const [policyUrl, advisoryUrl] = [await listen(policy), await listen(advisory)];
  running = await startGateway({
    clock: movableClock(),
    masterKey: MASTER,
    environment: openai.environment?.(fake) ?? {},
    config: {
      model_list: [
        { model_name: 'tts-1', litellm_params: openai.litellmParams(fake) },
        { model_name: 'short', litellm_params: { ...openai.litellmParams(fake), max_input_characters: 50 } },
      ],
      general_settings: { max_request_size_mb: 0.01 },
      guardrails: [
        { guardrail_name: 'length-cap', litellm_params: { guardrail: 'max_length', mode: 'pre_call', max_length: 2000 } },
        {
          guardrail_name: 'no-secrets',
          litellm_params: { guardrail: 'blocked_terms', mode: 'pre_call', default_on: true, blocked_terms: ['classified'], patterns: ['project\\s+x\\d+'] },
        },
        { guardrail_name: 'soften', litellm_params: { guardrail: 'blocked_terms', action: 'mask', mask_with: 'gosh', blocked_terms: ['darn'] } },
        { guardrail_name: 'pii', litellm_params: { guardrail: 'pii_mask' } },
        { guardrail_name: 'policy', litellm_params: { guardrail: 'http', api_base: policyUrl, api_key: 'policy-secret', timeout: 0.5, fail_open: false } },
        { guardrail_name: 'advisory', litellm_params: { guardrail: 'http', api_base: advisoryUrl, timeout: 2, fail_open: true } },
        { guardrail_name: 'opt-in', litellm_params: { guardrail: 'max_length', max_length: 1, default_on: false } },
      ],
    },
  });
});
afterAll(async () => {
  await running.close();
  await fake.close();
  for (const server of [policy, advisory]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function speak(
  input: string,
  model = 'tts-1',
): Promise<{ status: number; error: { code: string; message: string; type: string; param: string | null } | undefined }> {
  const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
    body: JSON.stringify({ model, input, voice: 'alloy' }),
  });
  const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
  return {
    status: response.status,
    error: response.ok ? undefined : (JSON.parse(text) as { error: { code: string; message: string; type: string; param: string | null } }).error,
  };
}

function sentInput(): string {
  return String((readJson(fake.lastRequest()) as { input: string }).input);
}

describe('guardrails on the input, before any provider is called', () => {
  it('lets clean text through unchanged, past a guardrail service that fails open', async () => {
    const before = advisoryCalls.length;
    expect((await speak('A perfectly ordinary sentence.')).status).toBe(200);
    expect(sentInput()).toBe('A perfectly ordinary sentence.');
    expect(advisoryCalls.length).toBe(before + 1);
  });

  it.each([
    ['max_length', 'length-cap', 'x'.repeat(2001), /2001 characters long, over the limit of 2000/],
    ['a blocked term', 'no-secrets', 'This is Classified material.', /blocked term/],
    ['a blocked pattern', 'no-secrets', 'Status of project   X42 today.', /blocked term/],
    ['the http service', 'policy', 'Please BLOCKME now.', /not on this channel/],
  ])('blocks %s with a 400 naming the guardrail, and calls no provider', async (_name, guardrail, input, reason) => {
    const calls = fake.requests.length;
    const { status, error } = await speak(input);
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: `guardrail_blocked:${guardrail}`, param: 'input' });
    expect(error?.message).toMatch(reason);
    expect(fake.requests.length).toBe(calls);
  });

  it('matches blocked terms as whole words only', async () => {
    expect((await speak('The declassified-ish word unclassified passes.')).status).toBe(200);
  });

  it('masks terms, personal data and applies the service rewrite: the provider receives the rewritten text', async () => {
    expect((await speak('Oh darn, it broke.')).status).toBe(200);
    expect(sentInput()).toBe('Oh gosh, it broke.');
    expect((await speak('Mail jane.doe@example.com or call +1 415-555-0132; card 4111 1111 1111 1111, order 1234 5678 9012 3456.')).status).toBe(200);
    expect(sentInput()).toBe('Mail [EMAIL] or call [PHONE]; card [CARD], order 1234 5678 9012 3456.');
    expect((await speak('Please REWRITE this.')).status).toBe(200);
    expect(sentInput()).toBe('Rewritten by the policy service.');
  });

  it('refuses with 503 when a fail-closed guardrail service does not answer in time', async () => {
    const calls = fake.requests.length;
    const { status, error } = await speak('Something SLOW.');
    expect(status).toBe(503);
    expect(error?.code).toBe('guardrail_unavailable:policy');
    expect(fake.requests.length).toBe(calls);
  });

  it('checks job items too: the worker path reaches the provider with masked text', async () => {
    const synthesis = await running.gateway.synthesize({
      model: 'tts-1',
      input: 'Item text for bob@example.org.',
      voice: 'alloy',
      format: 'mp3',
      speed: 1,
      signal: new AbortController().signal,
      context: { requestId: 'job_guard:0', source: 'job', keyId: 'master', jobId: 'job_guard', itemIndex: 0 },
    });
    for await (const chunk of synthesis.audio) expect(chunk.length).toBeGreaterThan(0);
    expect(sentInput()).toBe('Item text for [EMAIL].');
    await expect(
      running.gateway.synthesize({
        model: 'tts-1',
        input: 'classified',
        voice: 'alloy',
        format: 'mp3',
        speed: 1,
        signal: new AbortController().signal,
        context: { requestId: 'job_guard:1', source: 'job', keyId: 'master', jobId: 'job_guard', itemIndex: 1 },
      }),
    ).rejects.toMatchObject({ status: 400, code: 'guardrail_blocked:no-secrets' });
  });

  it('warns at start that an opt-in guardrail cannot run, and does not run it', async () => {
    expect(running.logs.some((line) => line['guardrail'] === 'opt-in' && String(line['msg']).includes('default_on'))).toBe(true);
    expect((await speak('Longer than one character.')).status).toBe(200);
  });
});

describe('request size limits', () => {
  it('answers 413 past general_settings.max_request_size_mb, naming the limit and the size', async () => {
    const { status, error } = await speak('y'.repeat(20_000));
    expect(status).toBe(413);
    expect(error?.code).toBe('request_too_large');
    expect(error?.message).toMatch(/Request body is \d+ bytes, over the limit of 10486 bytes \(general_settings\.max_request_size_mb\)/);
  });

  it("answers 400 past a model's max_input_characters, naming the limit and the length", async () => {
    const calls = fake.requests.length;
    const { status, error } = await speak('z'.repeat(51), 'short');
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 'input_too_long', param: 'input' });
    expect(error?.message).toBe("input is 51 characters long; the model 'short' accepts at most 50");
    expect(fake.requests.length).toBe(calls);
    expect((await speak('z'.repeat(50), 'short')).status).toBe(200);
  });
});
