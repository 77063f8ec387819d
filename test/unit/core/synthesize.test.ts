import { describe, expect, it } from 'vitest';
import type { Transcoder } from '../../../src/audio/transcode.js';
import { createSynthesize, type SynthesisCommand } from '../../../src/core/synthesize.js';
import type { SynthesisRecord } from '../../../src/core/synthesis-context.js';
import type { Deployment } from '../../../src/domain/catalog.js';
import { ApiError, invalidRequest } from '../../../src/domain/errors.js';
import type { SpeechRequest } from '../../../src/providers/spec/types.js';
import type { SpeechWarning } from '../../../src/providers/spec/warnings.js';
import type { AttemptRecord } from '../../../src/router/attempts.js';
import type { Router } from '../../../src/router/router.js';
import { AllDeploymentsFailedError } from '../../../src/router/routing-errors.js';
import { catalogOf, deployment, providerError } from '../router/router-fixtures.js';

const CLAMPED: SpeechWarning = { type: 'clamped-setting', setting: 'speed', requested: 5, applied: 4 };

/** Audio as chunks, failing after `failAfter` of them when asked. */
async function* chunks(sizes: readonly number[], failAfter?: { readonly count: number; readonly error: Error }): AsyncGenerator<Uint8Array> {
  for (const [index, size] of sizes.entries()) {
    if (failAfter !== undefined && index === failAfter.count) throw failAfter.error;
    yield new Uint8Array(size);
  }
}

/** A deployment whose adapter answers with `audio`, keeping every request it was sent. */
function speaking(
  id: string,
  audio: () => AsyncIterable<Uint8Array>,
  options: { readonly costPerCharacter?: number; readonly maxInputCharacters?: number } = {},
) {
  const requests: SpeechRequest[] = [];
  const base = deployment(id, {
    params: { input_cost_per_character: options.costPerCharacter ?? 0.001 },
    ...(options.maxInputCharacters === undefined ? {} : { maxInputCharacters: options.maxInputCharacters }),
  });
  const served: Deployment = {
    ...base,
    adapter: {
      ...base.adapter,
      synthesize: async (request) => {
        requests.push(request);
        return { audio: audio(), encoding: { format: 'mp3' }, warnings: [CLAMPED] };
      },
    },
  };
  return { deployment: served, requests };
}

/** A router that runs the attempt once on the group's first deployment, reporting `before` attempts ahead of it. */
function oneShotRouter(before: readonly AttemptRecord[] = []) {
  const finished: unknown[] = [];
  const router: Router = {
    async route(request, attempt) {
      const group = catalog.group(request.modelName) ?? [];
      const chosen = group[0];
      if (chosen === undefined) throw new Error('no deployment');
      const value = await attempt(chosen, request.signal);
      return {
        value,
        deployment: chosen,
        attempts: [...before, { deploymentId: chosen.id, provider: chosen.provider, modelName: request.modelName, outcome: 'success', durationMs: 5 }],
        finish: (error) => finished.push(error),
      };
    },
  };
  return { router, finished };
}

const passthrough: Transcoder = { convert: (audio) => audio };
let catalog = catalogOf([]);

function setUp(options: { readonly audio?: () => AsyncIterable<Uint8Array>; readonly router?: Router; readonly now?: () => number } = {}) {
  const served = speaking('dep-a', options.audio ?? (() => chunks([100, 200, 300])));
  catalog = catalogOf([served.deployment]);
  const records: SynthesisRecord[] = [];
  const routing = oneShotRouter();
  let clock = 1_000;
  const synthesize = createSynthesize({
    catalog,
    router: options.router ?? routing.router,
    transcoder: passthrough,
    now: options.now ?? (() => (clock += 10)),
    recorder: { record: (record) => records.push(record) },
    errorCode: (error) => (error instanceof ApiError ? (error.code ?? 'api_error') : 'mapped_error'),
  });
  return { synthesize, records, requests: served.requests, finished: routing.finished };
}

function command(overrides: Partial<SynthesisCommand> = {}): SynthesisCommand {
  return {
    model: 'tts',
    input: 'Hello there.',
    voice: 'alloy',
    format: 'mp3',
    speed: 1,
    signal: new AbortController().signal,
    context: { requestId: 'req_1', source: 'sync', keyId: 'master' },
    ...overrides,
  };
}

async function drain(audio: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of audio) bytes += chunk.length;
  return bytes;
}

describe('synthesize', () => {
  it('records one success once the audio has ended, with its cost, bytes, attempts and timings', async () => {
    const { synthesize, records, requests, finished } = setUp();
    const synthesis = await synthesize(command());
    expect(synthesis.deployment.id).toBe('dep-a');
    expect(synthesis.characters).toBe(12);
    expect(synthesis.costUsd).toBe(0.012);
    expect(synthesis.contentType).toBe('audio/mpeg');
    expect(synthesis.warnings).toEqual([CLAMPED]);
    expect(synthesis.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(requests.map((request) => [request.input, request.voice, request.format, request.speed])).toEqual([['Hello there.', 'alloy', 'mp3', 1]]);
    // Nothing is recorded while the audio is still on its way.
    expect(records).toEqual([]);
    expect(await drain(synthesis.audio)).toBe(600);
    expect(records).toEqual([
      {
        context: { requestId: 'req_1', source: 'sync', keyId: 'master' },
        model: 'tts',
        startedAt: 1_010,
        latencyMs: 20,
        deploymentId: 'dep-a',
        provider: 'openai',
        characters: 12,
        costUsd: 0.012,
        attempts: 1,
        firstByteMs: 10,
        status: 'success',
        audioBytes: 600,
      },
    ]);
    expect(finished).toEqual([undefined]);
  });

  it('counts every attempt the router made, failed ones included', async () => {
    const before: AttemptRecord[] = [{ deploymentId: 'dep-x', provider: 'openai', modelName: 'tts', outcome: 'rate_limited', durationMs: 3 }];
    const { synthesize, records } = setUp({ router: oneShotRouter(before).router });
    const synthesis = await synthesize(command());
    await drain(synthesis.audio);
    expect(synthesis.attempts.map((attempt) => `${attempt.deploymentId}:${attempt.outcome}`)).toEqual(['dep-x:rate_limited', 'dep-a:success']);
    expect(records[0]?.attempts).toBe(2);
  });

  it('records an error with the bytes sent so far when the audio fails after its first byte, and tells the router', async () => {
    const broken = new Error('upstream reset');
    const { synthesize, records, finished } = setUp({ audio: () => chunks([100, 200, 300], { count: 2, error: broken }) });
    const synthesis = await synthesize(command());
    await expect(drain(synthesis.audio)).rejects.toThrow('upstream reset');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'error', errorCode: 'mapped_error', audioBytes: 300, deploymentId: 'dep-a', costUsd: 0.012 });
    expect(finished).toEqual([broken]);
  });

  it('records a consumer that stops reading early as an error, once', async () => {
    const { synthesize, records, finished } = setUp();
    const synthesis = await synthesize(command());
    for await (const chunk of synthesis.audio) {
      expect(chunk.length).toBe(100);
      break;
    }
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'error', errorCode: 'mapped_error', audioBytes: 100 });
    expect(finished).toHaveLength(1);
    expect((finished[0] as Error).message).toBe('audio stream abandoned');
  });

  it('records a client that went away as cancelled, not as an error', async () => {
    const controller = new AbortController();
    const { synthesize, records } = setUp();
    const synthesis = await synthesize(command({ signal: controller.signal }));
    const iterator = synthesis.audio[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await iterator.return?.();
    expect(records.map((record) => [record.status, record.audioBytes])).toEqual([['cancelled', 100]]);
  });

  it('records a failure before any audio with the attempts it took and nothing spent, and rethrows it', async () => {
    const attempts: AttemptRecord[] = [
      { deploymentId: 'dep-a', provider: 'openai', modelName: 'tts', outcome: 'unavailable', durationMs: 4 },
      { deploymentId: 'dep-b', provider: 'openai', modelName: 'tts', outcome: 'unavailable', durationMs: 4 },
    ];
    const failed = new AllDeploymentsFailedError('tts', attempts, providerError('unavailable'));
    const { synthesize, records } = setUp({
      router: {
        route: () => Promise.reject(failed),
      },
    });
    await expect(synthesize(command())).rejects.toBe(failed);
    expect(records).toEqual([
      expect.objectContaining({
        status: 'error',
        errorCode: 'mapped_error',
        attempts: 2,
        deploymentId: undefined,
        provider: undefined,
        costUsd: 0,
        audioBytes: 0,
        firstByteMs: undefined,
        characters: 12,
      }),
    ]);
  });

  it('refuses an unknown model and an input over the group limit before any provider is called', async () => {
    const { synthesize, records, requests } = setUp();
    await expect(synthesize(command({ model: 'nope' }))).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(synthesize(command({ input: 'x'.repeat(4097) }))).rejects.toMatchObject({ status: 400, code: 'input_too_long', param: 'input' });
    expect(requests).toEqual([]);
    expect(records.map((record) => [record.status, record.errorCode, record.attempts, record.characters])).toEqual([
      ['error', 'model_not_found', 0, 12],
      ['error', 'input_too_long', 0, 4097],
    ]);
  });

  it('sends and bills the guarded input, and records a guard that blocks', async () => {
    const served = speaking('dep-a', () => chunks([10]));
    catalog = catalogOf([served.deployment]);
    const records: SynthesisRecord[] = [];
    const synthesize = createSynthesize({
      catalog,
      router: oneShotRouter().router,
      transcoder: passthrough,
      now: () => 0,
      recorder: { record: (record) => records.push(record) },
      errorCode: (error) => (error instanceof ApiError ? (error.code ?? 'api_error') : 'mapped_error'),
      guard: {
        check: async (input, context) => {
          if (input.includes('blocked')) throw invalidRequest(`blocked for ${context.model}`, 'input', 'guardrail_blocked');
          return input.replace(/\d{4}/g, '[n]');
        },
      },
    });
    const synthesis = await synthesize(command({ input: 'Card 1234 5678.' }));
    await drain(synthesis.audio);
    expect(served.requests.map((request) => request.input)).toEqual(['Card [n] [n].']);
    expect(synthesis.characters).toBe(13);
    expect(synthesis.costUsd).toBe(0.013);
    await expect(synthesize(command({ input: 'blocked words' }))).rejects.toMatchObject({ code: 'guardrail_blocked' });
    expect(records.map((record) => [record.status, record.errorCode ?? null, record.characters])).toEqual([
      ['success', null, 13],
      ['error', 'guardrail_blocked', 13],
    ]);
  });
});
