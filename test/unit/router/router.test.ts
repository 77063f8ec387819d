import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/domain/errors.js';
import { ProviderError } from '../../../src/providers/spec/errors.js';
import { AllDeploymentsFailedError, NoDeploymentAvailableError } from '../../../src/router/routing-errors.js';
import { deployment, harness, providerError, scripted, signal } from './router-fixtures.js';

const inOrder = { random: () => 0 };
const request = (extra: Record<string, unknown> = {}) => ({ modelName: 'tts', inputCharacters: 10, signal: signal(), ...extra });

describe('retries within a group', () => {
  it('moves to another healthy deployment at once after a 5xx', async () => {
    const h = harness([deployment('a'), deployment('b')], {}, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('unavailable')] });
    const result = await h.router.route(request(), attempt);
    expect(calls).toEqual(['a', 'b']);
    expect(result.deployment.id).toBe('b');
    expect(result.attempts.map((entry) => `${entry.deploymentId}:${entry.outcome}`)).toEqual(['a:unavailable', 'b:success']);
    expect(h.sleeps).toEqual([]);
    expect(h.events.filter((event) => event.type === 'retry')).toEqual([{ type: 'retry', modelName: 'tts', deploymentId: 'b', reason: 'unavailable' }]);
    expect(h.events.filter((event) => event.type === 'attempt').map((event) => event.type === 'attempt' && event.outcome)).toEqual(['unavailable', 'success']);
  });

  it('stops at a bad request or a content refusal: the client input is at fault', async () => {
    for (const kind of ['invalid_request', 'content_rejected'] as const) {
      const h = harness([deployment('a'), deployment('b')], {}, inOrder);
      const { attempt, calls } = scripted({ a: [providerError(kind)] });
      const error = await h.router.route(request(), attempt).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(AllDeploymentsFailedError);
      expect((error as AllDeploymentsFailedError).providerError?.kind).toBe(kind);
      expect(calls).toEqual(['a']);
    }
  });

  it('tries another deployment after an auth failure and cools the failing one at once', async () => {
    const h = harness([deployment('a'), deployment('b')], { cooldown_time: 30 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('auth', { status: 401 })] });
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('b');
    expect(h.events).toContainEqual({ type: 'cooldown', modelName: 'tts', deploymentId: 'a', seconds: 30, reason: 'auth' });
    await h.router.route(request(), attempt);
    expect(calls).toEqual(['a', 'b', 'b']);
  });

  it('never retries the same deployment after auth or quota errors, even with retries left', async () => {
    const h = harness([deployment('a')], { num_retries: 3, disable_cooldowns: true }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('quota_exceeded')] });
    await expect(h.router.route(request(), attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect(calls).toEqual(['a']);
  });

  it('waits for the provider retry hint on the same deployment when no other is left', async () => {
    const h = harness([deployment('a')], { num_retries: 2 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('rate_limited', { retryAfterMs: 1500 })] });
    const result = await h.router.route(request(), attempt);
    expect(calls).toEqual(['a', 'a']);
    expect(h.sleeps).toEqual([1500]);
    expect(result.attempts.map((entry) => entry.outcome)).toEqual(['rate_limited', 'success']);
  });

  it('backs off exponentially without a hint, never below retry_after', async () => {
    const h = harness([deployment('a')], { num_retries: 3, allowed_fails: 10 }, inOrder);
    const { attempt } = scripted({ a: [providerError('unavailable'), providerError('unavailable'), providerError('unavailable')] });
    await h.router.route(request(), attempt);
    expect(h.sleeps).toEqual([500, 1000, 2000]);

    const slow = harness([deployment('a')], { num_retries: 1, retry_after: 3, allowed_fails: 10 }, inOrder);
    await slow.router.route(request(), scripted({ a: [providerError('unavailable')] }).attempt);
    expect(slow.sleeps).toEqual([3000]);
  });

  it('gives up rather than wait longer than the retry cap', async () => {
    const h = harness([deployment('a')], { num_retries: 2 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('rate_limited', { retryAfterMs: 60_000 })] });
    const error = await h.router.route(request(), attempt).catch((thrown: unknown) => thrown);
    expect((error as AllDeploymentsFailedError).providerError?.kind).toBe('rate_limited');
    expect(calls).toEqual(['a']);
  });

  it('makes at most num_retries + 1 attempts in a group', async () => {
    const h = harness([deployment('a'), deployment('b'), deployment('c')], { num_retries: 1, allowed_fails: 10 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('unavailable')], b: [providerError('unavailable')] });
    await expect(h.router.route(request(), attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect(calls).toEqual(['a', 'b']);
  });

  it('turns a missing first byte into a timeout and retries elsewhere', async () => {
    const h = harness([deployment('a', { params: { timeout: 0.05 } }), deployment('b')], {}, inOrder);
    const calls: string[] = [];
    const result = await h.router.route(request(), (item, attemptSignal) => {
      calls.push(item.id);
      if (item.id === 'b') return Promise.resolve('ok');
      return new Promise((_resolve, reject) => attemptSignal.addEventListener('abort', () => reject(attemptSignal.reason)));
    });
    expect(calls).toEqual(['a', 'b']);
    expect(result.attempts.map((entry) => entry.outcome)).toEqual(['timeout', 'success']);
  });

  it('passes the caller abort through without retrying', async () => {
    const h = harness([deployment('a'), deployment('b')], {}, inOrder);
    const controller = new AbortController();
    const calls: string[] = [];
    const pending = h.router.route({ ...request(), signal: controller.signal }, (item, attemptSignal) => {
      calls.push(item.id);
      const failed = new Promise<string>((_resolve, reject) => attemptSignal.addEventListener('abort', () => reject(attemptSignal.reason)));
      controller.abort(new Error('client disconnected'));
      return failed;
    });
    await expect(pending).rejects.toThrow('client disconnected');
    expect(calls).toEqual(['a']);
  });
});

describe('cooldowns', () => {
  it('a 429 cools the deployment for the hint; it gets no traffic until then, and traffic after', async () => {
    const h = harness([deployment('a'), deployment('b')], { cooldown_time: 60 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('rate_limited', { retryAfterMs: 2000 })] });
    await h.router.route(request(), attempt);
    expect(h.events).toContainEqual({ type: 'cooldown', modelName: 'tts', deploymentId: 'a', seconds: 2, reason: 'rate_limited' });
    h.clock.now += 1999;
    for (let index = 0; index < 5; index += 1) await h.router.route(request(), attempt);
    expect(calls).toEqual(['a', 'b', 'b', 'b', 'b', 'b', 'b']);
    h.clock.now += 1;
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('a');
  });

  it('cools after more than allowed_fails failures in a minute, for cooldown_time', async () => {
    const h = harness([deployment('a'), deployment('b')], { allowed_fails: 1, cooldown_time: 10 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('unavailable'), providerError('unavailable')] });
    await h.router.route(request(), attempt);
    await h.router.route(request(), attempt);
    expect(h.events.filter((event) => event.type === 'cooldown')).toEqual([
      { type: 'cooldown', modelName: 'tts', deploymentId: 'a', seconds: 10, reason: 'failures' },
    ]);
    await h.router.route(request(), attempt);
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'b']);
    h.clock.now += 10_000;
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('a');
  });

  it('honours a per-deployment cooldown_time and disable_cooldowns', async () => {
    const h = harness([deployment('a', { params: { cooldown_time: 2 } }), deployment('b')], { allowed_fails: 0, cooldown_time: 60 }, inOrder);
    await h.router.route(request(), scripted({ a: [providerError('unavailable')] }).attempt);
    expect(h.events).toContainEqual({ type: 'cooldown', modelName: 'tts', deploymentId: 'a', seconds: 2, reason: 'failures' });

    const off = harness([deployment('a'), deployment('b')], { allowed_fails: 0, disable_cooldowns: true }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('rate_limited', { retryAfterMs: 5000 })] });
    await off.router.route(request(), attempt);
    await off.router.route(request(), attempt);
    expect(calls).toEqual(['a', 'b', 'a']);
    expect(off.events.filter((event) => event.type === 'cooldown')).toEqual([]);
  });

  it('with every deployment cooling after 429s, refuses at once as rate limited with the soonest end', async () => {
    const h = harness([deployment('a'), deployment('b')], { num_retries: 0 }, inOrder);
    await h.state.coolDown('a', { untilMs: h.clock.now + 4000, reason: 'rate_limited' }, h.clock.now);
    await h.state.coolDown('b', { untilMs: h.clock.now + 2500, reason: 'rate_limited' }, h.clock.now);
    const { attempt, calls } = scripted({});
    const error = await h.router.route(request(), attempt).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NoDeploymentAvailableError);
    expect((error as NoDeploymentAvailableError).reason).toBe('rate_limited');
    expect((error as NoDeploymentAvailableError).retryAfterMs).toBe(2500);
    expect(calls).toEqual([]);
  });

  it('with every deployment cooling after failures, refuses as unavailable', async () => {
    const h = harness([deployment('a'), deployment('b')], {}, inOrder);
    await h.state.coolDown('a', { untilMs: h.clock.now + 4000, reason: 'failures' }, h.clock.now);
    await h.state.coolDown('b', { untilMs: h.clock.now + 2500, reason: 'rate_limited' }, h.clock.now);
    const error = await h.router.route(request(), scripted({}).attempt).catch((thrown: unknown) => thrown);
    expect((error as NoDeploymentAvailableError).reason).toBe('cooling_down');
  });

  it('never cools a deployment with nothing to stand in for it (alone in its group, no fallbacks)', async () => {
    const h = harness([deployment('a')], { num_retries: 0 }, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('rate_limited', { retryAfterMs: 5000 })] });
    await expect(h.router.route(request(), attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('a');
    expect(calls).toEqual(['a', 'a']);
    expect(h.events.filter((event) => event.type === 'cooldown')).toEqual([]);

    const withFallback = harness([deployment('a'), deployment('z', { modelName: 'other' })], { num_retries: 0, fallbacks: [{ tts: ['other'] }] }, inOrder);
    await withFallback.router.route(request(), scripted({ a: [providerError('rate_limited', { retryAfterMs: 5000 })] }).attempt);
    expect(withFallback.events).toContainEqual(expect.objectContaining({ type: 'cooldown', deploymentId: 'a' }));
  });

  it('a 404 from the upstream is the deployment at fault: another is tried and it cools', async () => {
    const h = harness([deployment('a'), deployment('b')], {}, inOrder);
    const { attempt, calls } = scripted({ a: [providerError('invalid_request', { status: 404 })] });
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('b');
    expect(calls).toEqual(['a', 'b']);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'cooldown', deploymentId: 'a' }));
  });
});

describe('fallbacks', () => {
  const groups = [deployment('a1', { modelName: 'A' }), deployment('b1', { modelName: 'B' }), deployment('c1', { modelName: 'C' })];

  it('tries the configured fallback groups in order after the group is exhausted', async () => {
    const h = harness(groups, { fallbacks: [{ A: ['C', 'B'] }], num_retries: 2 }, inOrder);
    const { attempt, calls } = scripted({ a1: [providerError('unavailable')], c1: [providerError('timeout')] });
    const result = await h.router.route(request({ modelName: 'A' }), attempt);
    expect(calls).toEqual(['a1', 'c1', 'b1']);
    expect(result.deployment.modelName).toBe('B');
    expect(result.attempts.map((entry) => `${entry.modelName}/${entry.deploymentId}:${entry.outcome}`)).toEqual([
      'A/a1:unavailable',
      'C/c1:timeout',
      'B/b1:success',
    ]);
    expect(h.events.filter((event) => event.type === 'fallback')).toEqual([
      { type: 'fallback', fromModel: 'A', toModel: 'C' },
      { type: 'fallback', fromModel: 'C', toModel: 'B' },
    ]);
    // A fallback is taken at once rather than waiting to retry the group's only deployment.
    expect(h.sleeps).toEqual([]);
  });

  it('falls back when the group is cooling, and uses default_fallbacks for groups without an entry', async () => {
    const h = harness(groups, { fallbacks: [{ B: ['A'] }], default_fallbacks: ['C'] }, inOrder);
    await h.state.coolDown('a1', { untilMs: h.clock.now + 5000, reason: 'rate_limited' }, h.clock.now);
    const { attempt, calls } = scripted({});
    expect((await h.router.route(request({ modelName: 'A' }), attempt)).deployment.id).toBe('c1');
    expect(calls).toEqual(['c1']);
  });

  it('client fallbacks replace the configured ones; an unknown one is a 400', async () => {
    const h = harness(groups, { fallbacks: [{ A: ['C'] }] }, inOrder);
    const { attempt, calls } = scripted({ a1: [providerError('unavailable')] });
    expect((await h.router.route(request({ modelName: 'A', fallbacks: ['B'] }), attempt)).deployment.id).toBe('b1');
    expect(calls).toEqual(['a1', 'b1']);
    const error = await h.router.route(request({ modelName: 'A', fallbacks: ['nope'] }), attempt).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).param).toBe('fallbacks');
  });

  it('does not fall back after a bad request', async () => {
    const h = harness(groups, { fallbacks: [{ A: ['B'] }] }, inOrder);
    const { attempt, calls } = scripted({ a1: [providerError('content_rejected')] });
    await expect(h.router.route(request({ modelName: 'A' }), attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect(calls).toEqual(['a1']);
  });

  it('reports the last failure when every group fails', async () => {
    const h = harness(groups, { fallbacks: [{ A: ['B'] }], num_retries: 0 }, inOrder);
    const { attempt } = scripted({ a1: [providerError('unavailable')], b1: [providerError('rate_limited', { retryAfterMs: 60_000 })] });
    const error = (await h.router.route(request({ modelName: 'A' }), attempt).catch((thrown: unknown) => thrown)) as AllDeploymentsFailedError;
    expect(error.attempts.map((entry) => entry.deploymentId)).toEqual(['a1', 'b1']);
    expect(error.providerError).toBeInstanceOf(ProviderError);
    expect(error.providerError?.kind).toBe('rate_limited');
  });
});

describe('voices across providers', () => {
  const openAIVoices = (voice: string): boolean => ['alloy', 'nova'].includes(voice);
  const azureVoices = (voice: string): boolean => openAIVoices(voice) || voice.endsWith('Neural');
  const mixed = [
    deployment('openai', { voices: openAIVoices, params: { weight: 100 } }),
    deployment('azure', { provider: 'azure_speech', voices: azureVoices, params: { weight: 1 } }),
  ];

  it('sends a provider-native voice only to deployments that recognise it', async () => {
    const h = harness(mixed, {}, inOrder);
    const { attempt, calls } = scripted({});
    for (let index = 0; index < 5; index += 1) await h.router.route(request({ voice: 'en-US-JennyNeural' }), attempt);
    expect(calls).toEqual(['azure', 'azure', 'azure', 'azure', 'azure']);
  });

  it('an OpenAI voice name may go anywhere', async () => {
    const h = harness(mixed, {}, inOrder);
    const { attempt, calls } = scripted({ openai: [providerError('unavailable')] });
    await h.router.route(request({ voice: 'alloy' }), attempt);
    expect(calls).toEqual(['openai', 'azure']);
  });

  it('a native voice no deployment recognises is a 400 voice_not_supported', async () => {
    const h = harness(mixed, {}, inOrder);
    const { attempt, calls } = scripted({});
    const error = await h.router.route(request({ voice: 'Joanna' }), attempt).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).code).toBe('voice_not_supported');
    expect(calls).toEqual([]);
  });

  it('a fallback group that cannot use the voice is skipped, never given a wrong voice', async () => {
    const h = harness(
      [deployment('az', { modelName: 'A', voices: azureVoices }), deployment('oa', { modelName: 'B', voices: openAIVoices })],
      { fallbacks: [{ A: ['B'] }], num_retries: 0 },
      inOrder,
    );
    const { attempt, calls } = scripted({ az: [providerError('unavailable')] });
    const error = (await h.router
      .route(request({ modelName: 'A', voice: 'de-DE-KatjaNeural' }), attempt)
      .catch((thrown: unknown) => thrown)) as AllDeploymentsFailedError;
    expect(error).toBeInstanceOf(AllDeploymentsFailedError);
    expect(error.providerError?.kind).toBe('unavailable');
    expect(calls).toEqual(['az']);
  });
});

describe('strategies inside the router', () => {
  it('usage-based routing never passes a deployment rpm, and refuses as rate limited when the minute is spent', async () => {
    const h = harness([deployment('a', { params: { rpm: 3 } }), deployment('b', { params: { rpm: 5 } })], { routing_strategy: 'usage-based-routing-v2' });
    const { attempt, calls } = scripted({});
    for (let index = 0; index < 8; index += 1) await h.router.route(request(), attempt);
    expect(calls.filter((id) => id === 'a')).toHaveLength(3);
    expect(calls.filter((id) => id === 'b')).toHaveLength(5);
    const error = await h.router.route(request(), attempt).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NoDeploymentAvailableError);
    expect((error as NoDeploymentAvailableError).reason).toBe('rate_limited');
    expect((error as NoDeploymentAvailableError).retryAfterMs).toBeLessThanOrEqual(60_000);
    h.clock.now += 60_000;
    await h.router.route(request(), attempt);
    expect(calls).toHaveLength(9);
  });

  it('usage-based routing counts characters against tpm', async () => {
    const h = harness([deployment('a', { params: { tpm: 100 } })], { routing_strategy: 'usage-based-routing' });
    const { attempt } = scripted({});
    await h.router.route(request({ inputCharacters: 60 }), attempt);
    await expect(h.router.route(request({ inputCharacters: 60 }), attempt)).rejects.toBeInstanceOf(NoDeploymentAvailableError);
    await h.router.route(request({ inputCharacters: 40 }), attempt);
  });

  it('least-busy sends the next call to the deployment with fewer calls in flight until they finish', async () => {
    const h = harness([deployment('a'), deployment('b')], { routing_strategy: 'least-busy' }, inOrder);
    const { attempt } = scripted({});
    const first = await h.router.route(request(), attempt);
    const second = await h.router.route(request(), attempt);
    expect([first.deployment.id, second.deployment.id].sort()).toEqual(['a', 'b']);
    first.finish();
    const third = await h.router.route(request(), attempt);
    expect(third.deployment.id).toBe(first.deployment.id);
  });

  it('latency-based routing prefers the deployment with the faster first byte', async () => {
    const h = harness([deployment('slow'), deployment('fast')], { routing_strategy: 'latency-based-routing' });
    await h.state.recordLatency('slow', 900, h.clock.now, 3_600_000);
    await h.state.recordLatency('fast', 100, h.clock.now, 3_600_000);
    const { attempt, calls } = scripted({});
    for (let index = 0; index < 10; index += 1) await h.router.route(request(), attempt);
    expect(new Set(calls)).toEqual(new Set(['fast']));
  });

  it('cost-based routing tries the cheapest deployment first', async () => {
    const h = harness([deployment('hd', { model: 'tts-1-hd' }), deployment('cheap', { params: { input_cost_per_character: 1e-6 } }), deployment('std')], {
      routing_strategy: 'cost-based-routing',
    });
    const { attempt, calls } = scripted({ cheap: [providerError('unavailable')] });
    await h.router.route(request(), attempt);
    expect(calls).toEqual(['cheap', 'std']);
  });
});

describe('failures after the first byte', () => {
  it('count against the deployment: past allowed_fails it cools down, though the call was served', async () => {
    const h = harness([deployment('a'), deployment('b')], { allowed_fails: 1, cooldown_time: 20 }, inOrder);
    const { attempt, calls } = scripted({});
    for (let call = 0; call < 2; call += 1) {
      const served = await h.router.route(request(), attempt);
      expect(served.deployment.id).toBe('a');
      served.finish(providerError('unavailable'));
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.events).toContainEqual({ type: 'cooldown', modelName: 'tts', deploymentId: 'a', seconds: 20, reason: 'failures' });
    expect((await h.router.route(request(), attempt)).deployment.id).toBe('b');
    expect(calls).toEqual(['a', 'a', 'b']);
  });

  it('do not count when the client went away or the audio ended well', async () => {
    const h = harness([deployment('a'), deployment('b')], { allowed_fails: 0, cooldown_time: 20 }, inOrder);
    const { attempt } = scripted({});
    const served = await h.router.route(request(), attempt);
    served.finish();
    served.finish(providerError('unavailable'));
    const controller = new AbortController();
    const abandoned = await h.router.route(request({ signal: controller.signal }), attempt);
    controller.abort();
    abandoned.finish(providerError('unavailable'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.events.filter((event) => event.type === 'cooldown')).toEqual([]);
  });
});

describe("the upstream's own word", () => {
  it('keeps the upstream request id of each attempt, failed or served', async () => {
    const h = harness([deployment('a'), deployment('b')], {}, inOrder);
    const failed = new ProviderError({ kind: 'unavailable', provider: 'openai', message: 'down', upstreamRequestId: 'req_a' });
    let calls = 0;
    const result = await h.router.route(request(), async () => {
      calls += 1;
      if (calls === 1) throw failed;
      return { upstreamRequestId: 'req_b' };
    });
    expect(result.attempts.map((entry) => [entry.deploymentId, entry.outcome, entry.upstreamRequestId])).toEqual([
      ['a', 'unavailable', 'req_a'],
      ['b', 'success', 'req_b'],
    ]);
  });

  it('retries what x-should-retry: true asks for, and stops retrying what false forbids', async () => {
    const forced = harness([deployment('a')], { num_retries: 2 }, inOrder);
    const retried = scripted({ a: [new ProviderError({ kind: 'invalid_request', provider: 'openai', message: 'no', shouldRetry: true }), 'ok'] });
    expect((await forced.router.route(request(), retried.attempt)).attempts.map((entry) => entry.outcome)).toEqual(['invalid_request', 'success']);
    expect(retried.calls).toEqual(['a', 'a']);

    const forbidden = harness([deployment('a')], { num_retries: 2 }, inOrder);
    const stopped = scripted({ a: [new ProviderError({ kind: 'unavailable', provider: 'openai', message: 'down', shouldRetry: false }), 'ok'] });
    await expect(forbidden.router.route(request(), stopped.attempt)).rejects.toBeInstanceOf(AllDeploymentsFailedError);
    expect(stopped.calls).toEqual(['a']);
  });
});
