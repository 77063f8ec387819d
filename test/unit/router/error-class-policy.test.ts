import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/providers/spec/errors.js';
import { allowedFailsFromPolicy, errorClassesOf, retriesFromPolicy } from '../../../src/router/error-class-policy.js';
import { AllDeploymentsFailedError } from '../../../src/router/routing-errors.js';
import { deployment, harness, providerError, scripted, settingsOf, signal } from './router-fixtures.js';

const inOrder = { random: () => 0 };
const request = (extra: Record<string, unknown> = {}) => ({ modelName: 'tts', inputCharacters: 10, signal: signal(), ...extra });

describe("LiteLLM's error classes", () => {
  it('maps each failure as LiteLLM raises it, most specific class first', () => {
    expect(errorClassesOf(providerError('auth', { status: 401 }))).toEqual(['AuthenticationError']);
    expect(errorClassesOf(providerError('timeout'))).toEqual(['TimeoutError']);
    expect(errorClassesOf(providerError('rate_limited', { status: 429 }))).toEqual(['RateLimitError']);
    expect(errorClassesOf(providerError('quota_exceeded', { status: 429 }))).toEqual(['RateLimitError']);
    expect(errorClassesOf(providerError('unavailable', { status: 500 }))).toEqual(['InternalServerError']);
    expect(errorClassesOf(providerError('unavailable', { status: 503 }))).toEqual([]);
    expect(errorClassesOf(providerError('content_rejected', { status: 400 }))).toEqual(['ContentPolicyViolationError', 'BadRequestError']);
    expect(errorClassesOf(providerError('invalid_request', { status: 400 }))).toEqual(['BadRequestError']);
    expect(errorClassesOf(providerError('invalid_request', { status: 404 }))).toEqual([]);
    expect(errorClassesOf(new Error('not a provider error'))).toEqual([]);
  });

  it("reads the group's model_group_retry_policy whole in place of retry_policy, and a bad request's count for a refusal", () => {
    const settings = settingsOf({
      retry_policy: { BadRequestErrorRetries: 1, InternalServerErrorRetries: 4 },
      model_group_retry_policy: { premium: { RateLimitErrorRetries: 7 } },
    });
    expect(retriesFromPolicy(providerError('unavailable', { status: 500 }), ['tts'], settings)).toBe(4);
    expect(retriesFromPolicy(providerError('content_rejected'), ['tts'], settings)).toBe(1);
    expect(retriesFromPolicy(providerError('timeout'), ['tts'], settings)).toBeUndefined();
    expect(retriesFromPolicy(providerError('rate_limited'), ['alias', 'premium'], settings)).toBe(7);
    // The group's policy replaces retry_policy whole: its unnamed classes fall back to num_retries.
    expect(retriesFromPolicy(providerError('unavailable', { status: 500 }), ['premium'], settings)).toBeUndefined();
    expect(allowedFailsFromPolicy(providerError('rate_limited'), settingsOf({ allowed_fails_policy: { RateLimitErrorAllowedFails: 100 } }))).toBe(100);
    expect(allowedFailsFromPolicy(providerError('auth'), settingsOf({ allowed_fails_policy: { RateLimitErrorAllowedFails: 100 } }))).toBeUndefined();
  });
});

describe('retry_policy in the router', () => {
  it("retries a group's first failure as many times as its class says, in place of num_retries", async () => {
    const h = harness([deployment('a')], { num_retries: 0, retry_policy: { InternalServerErrorRetries: 3 } }, inOrder);
    const failure = () => providerError('unavailable', { status: 500 });
    const { attempt, calls } = scripted({ a: [failure(), failure(), failure()] });
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('a');
    expect(calls).toEqual(['a', 'a', 'a', 'a']);
  });

  it('a count of 0 ends the group at the first failure; num_retries applies to classes it does not name', async () => {
    const h = harness([deployment('a')], { num_retries: 2, retry_policy: { TimeoutErrorRetries: 0 } }, inOrder);
    const { attempt, calls } = scripted({
      a: [providerError('timeout'), providerError('unavailable', { status: 500 }), providerError('unavailable', { status: 500 })],
    });
    await expect(h.router.route(request(), attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect(calls).toEqual(['a']);
    const more = scripted({ a: [providerError('unavailable', { status: 500 }), providerError('unavailable', { status: 500 })] });
    expect((await h.router.route(request(), more.attempt)).deployment.id).toBe('a');
    expect(more.calls).toEqual(['a', 'a', 'a']);
  });

  it('retries a bad request it names (LiteLLM does), and over an upstream x-should-retry: false', async () => {
    const h = harness([deployment('a')], { num_retries: 0, retry_policy: { BadRequestErrorRetries: 1, InternalServerErrorRetries: 1 } }, inOrder);
    const bad = scripted({ a: [providerError('invalid_request', { status: 400 })] });
    expect((await h.router.route(request(), bad.attempt)).deployment.id).toBe('a');
    expect(bad.calls).toEqual(['a', 'a']);
    const told = new ProviderError({ kind: 'unavailable', provider: 'openai', status: 500, message: 'no', shouldRetry: false });
    const server = scripted({ a: [told] });
    expect((await h.router.route(request(), server.attempt)).deployment.id).toBe('a');
    expect(server.calls).toEqual(['a', 'a']);
  });

  it('still never tries a deployment again after an auth failure, whatever the count', async () => {
    const h = harness([deployment('a'), deployment('b')], { retry_policy: { AuthenticationErrorRetries: 5 } }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('auth', { status: 401 })] });
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('b');
    expect(calls).toEqual(['a', 'b']);
  });

  it("uses the group's entry in model_group_retry_policy, by the alias the call used or its group", async () => {
    const settings = { num_retries: 0, model_group_retry_policy: { tts: { InternalServerErrorRetries: 2 } } };
    const h = harness([deployment('a')], settings, { ...inOrder, aliases: { voice: 'tts' } });
    const failure = () => providerError('unavailable', { status: 500 });
    const { attempt, calls } = scripted({ a: [failure(), failure()] });
    expect((await h.router.route(request({ modelName: 'voice' }), attempt)).deployment.id).toBe('a');
    expect(calls).toEqual(['a', 'a', 'a']);
  });
});

describe('allowed_fails_policy in the router', () => {
  it('lets a deployment take that many 429s before it cools down, in place of the immediate cooldown', async () => {
    const h = harness([deployment('a'), deployment('b')], { cooldown_time: 30, allowed_fails_policy: { RateLimitErrorAllowedFails: 2 } }, inOrder);
    const limited = () => providerError('rate_limited', { status: 429 });
    const { attempt, calls } = scripted({ a: [limited(), limited(), limited()] });
    for (let index = 0; index < 4; index += 1) await h.router.route(request(), attempt);
    // Two 429s are allowed: a keeps its traffic; the third cools it down, and the fourth call goes to b alone.
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'b']);
    expect(h.events.filter((event) => event.type === 'cooldown')).toEqual([
      { type: 'cooldown', modelName: 'tts', deploymentId: 'a', seconds: 30, reason: 'rate_limited' },
    ]);
  });

  it('counts a class it names against its own number, others against allowed_fails', async () => {
    const h = harness([deployment('a'), deployment('b')], { allowed_fails: 0, allowed_fails_policy: { InternalServerErrorAllowedFails: 1 } }, inOrder);
    const failure = () => providerError('unavailable', { status: 500 });
    const first = scripted({ a: [failure()] });
    await h.router.route(request(), first.attempt);
    expect(h.events.filter((event) => event.type === 'cooldown')).toEqual([]);
    const timeouts = harness([deployment('a'), deployment('b')], { allowed_fails: 0, allowed_fails_policy: { InternalServerErrorAllowedFails: 1 } }, inOrder);
    await timeouts.router.route(request(), scripted({ a: [providerError('timeout')] }).attempt);
    expect(timeouts.events.filter((event) => event.type === 'cooldown').map((event) => event.type === 'cooldown' && event.reason)).toEqual(['failures']);
  });
});

describe('model_group_alias in the router', () => {
  it("routes an alias to its group and takes the alias's own fallbacks first, trying each group once", async () => {
    const deployments = [deployment('a'), deployment('h', { modelName: 'tts-hd' })];
    const h = harness(deployments, { num_retries: 0, fallbacks: [{ voice: ['tts-hd', 'tts'] }] }, { ...inOrder, aliases: { voice: 'tts' } });
    const { attempt, calls } = scripted({ a: [providerError('unavailable', { status: 500 })] });
    const result = await h.router.route(request({ modelName: 'voice' }), attempt);
    expect(result.deployment.id).toBe('h');
    expect(calls).toEqual(['a', 'h']);
    const plain = scripted({ a: [providerError('unavailable', { status: 500 })] });
    await expect(h.router.route(request({ modelName: 'tts' }), plain.attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect(plain.calls).toEqual(['a']);
  });
});
