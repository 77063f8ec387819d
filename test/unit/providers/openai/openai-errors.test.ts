import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpenAIFailure } from '../../../../src/providers/openai/openai-errors.js';
import { callUpstream } from '../../../../src/providers/shared/http-call.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import { startUpstreamStub, type UpstreamStub } from '../../../helpers/upstream-stub.js';

const envelope = (error: Record<string, unknown>): string =>
  JSON.stringify({ error: { message: 'upstream says no', type: null, param: null, code: null, ...error } });
const failure = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers) });

describe('readOpenAIFailure', () => {
  it.each([
    ['code', { type: 'insufficient_quota', code: 'insufficient_quota' }],
    ['type only', { type: 'insufficient_quota' }],
  ])('reads a 429 insufficient_quota (%s) as quota_exceeded', (_label, error) => {
    expect(readOpenAIFailure(failure(429, envelope(error)))).toEqual({ kind: 'quota_exceeded', message: 'upstream says no (insufficient_quota)' });
  });

  it('leaves an ordinary 429 to the status mapping (rate_limited)', () => {
    expect(readOpenAIFailure(failure(429, envelope({ type: 'requests', code: 'rate_limit_exceeded' })))).toEqual({
      message: 'upstream says no (rate_limit_exceeded)',
    });
  });

  it.each(['content_policy_violation', 'moderation_blocked'])('reads a 400 %s as content_rejected', (code) => {
    expect(readOpenAIFailure(failure(400, envelope({ type: 'invalid_request_error', code }))).kind).toBe('content_rejected');
  });

  it('keeps other 400s as invalid requests', () => {
    expect(readOpenAIFailure(failure(400, envelope({ type: 'invalid_request_error', param: 'input', code: 'string_above_max_length' }))).kind).toBeUndefined();
  });

  it("treats a missing model (404) as the deployment being unusable, not the client's mistake", () => {
    expect(readOpenAIFailure(failure(404, envelope({ type: 'invalid_request_error', code: 'model_not_found' }))).kind).toBe('unavailable');
  });

  it('accepts a numeric code, as LiteLLM proxies send', () => {
    expect(readOpenAIFailure(failure(500, envelope({ type: 'bad_request', code: 500 })))).toEqual({ message: 'upstream says no (500)' });
  });

  it('reads nothing from a body that is not the envelope', () => {
    expect(readOpenAIFailure(failure(502, '<html>Bad gateway</html>'))).toEqual({});
    expect(readOpenAIFailure(failure(500, JSON.stringify({ detail: 'x' })))).toEqual({});
  });
});

describe('OpenAI failures through callUpstream', () => {
  let upstream: UpstreamStub;
  beforeAll(async () => {
    upstream = await startUpstreamStub('http');
  });
  afterAll(() => upstream.close());
  const call = async (status: number, body: string, headers: Record<string, string> = {}): Promise<ProviderError> => {
    upstream.answer((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    });
    const error = await callUpstream({
      provider: 'openai',
      dispatcher: upstream.dispatcher,
      requestIdHeaders: ['x-request-id'],
      url: 'http://openai.test/v1/audio/speech',
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
      readFailure: readOpenAIFailure,
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  it('makes a 429 a retryable rate_limited error with the wait from retry-after-ms and the request id', async () => {
    const error = await call(429, envelope({ type: 'requests', code: 'rate_limit_exceeded' }), {
      'retry-after-ms': '1500',
      'retry-after': '2',
      'x-request-id': 'req_123',
    });
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 1500, status: 429, upstreamRequestId: 'req_123', provider: 'openai' });
  });

  it('reads the wait from x-ratelimit-reset-requests when no retry-after comes', async () => {
    expect((await call(429, envelope({ code: 'rate_limit_exceeded' }), { 'x-ratelimit-reset-requests': '6m0s' })).retryAfterMs).toBe(360_000);
  });

  it('never retries a spent quota', async () => {
    expect(await call(429, envelope({ type: 'insufficient_quota', code: 'insufficient_quota' }))).toMatchObject({ kind: 'quota_exceeded', retryable: false });
  });

  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [409, 'unavailable', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
  ] as const)('maps %i to %s', async (status, kind, retryable) => {
    expect(await call(status, envelope({ type: 'server_error' }))).toMatchObject({ kind, retryable, status });
  });
});
