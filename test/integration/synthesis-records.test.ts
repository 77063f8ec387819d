import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFfmpegTranscoder } from '../../src/audio/transcode.js';
import { parseConfigDocument } from '../../src/config/load-config.js';
import { buildCatalog } from '../../src/domain/catalog.js';
import type { SynthesisContext, SynthesisRecord } from '../../src/core/synthesis-context.js';
import { createSynthesize, type Synthesize } from '../../src/core/synthesize.js';
import { createBinaryEspeakEngine } from '../../src/providers/espeak/espeak-engine.js';
import { builtInProviders } from '../../src/providers/built-in.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { createRouter } from '../../src/router/router.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { requireExecutable } from '../helpers/tools.js';
import { createUpstreamAgent } from '../../src/providers/shared/upstream-agent.js';

/**
 * The synthesize use-case reports one record per synthesis, however it ends: what spend logs
 * and metrics are built on, for the sync path and job items alike.
 */
let fake: FakeServer;
let synthesize: Synthesize;
const records: SynthesisRecord[] = [];
const context: SynthesisContext = { requestId: 'req-1', source: 'job', keyId: 'key-9', endUser: 'user-3', jobId: 'job-1', itemIndex: 4 };

beforeAll(async () => {
  fake = await startOpenAIFake();
  const config = parseConfigDocument(
    {
      model_list: [
        {
          model_name: 'priced',
          litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` },
          model_info: { id: 'openai-a' },
        },
        { model_name: 'local', litellm_params: { model: 'espeak/en-us' }, model_info: { id: 'local-a' } },
      ],
      router_settings: { num_retries: 0 },
    },
    {},
  );
  const espeakEngine = createBinaryEspeakEngine(requireExecutable('espeak-ng'));
  const catalog = buildCatalog(config, createProviderRegistry(builtInProviders), { dispatcher: createUpstreamAgent(), fetch: globalThis.fetch, espeakEngine });
  let clock = 1_000;
  synthesize = createSynthesize({
    catalog,
    router: createRouter({ catalog, settings: config.router_settings, random: () => 0, now: () => clock }),
    transcoder: createFfmpegTranscoder(requireExecutable('ffmpeg')),
    now: () => (clock += 10),
    recorder: { record: (record) => records.push(record) },
    errorCode: (error) => (error instanceof Error ? error.name : 'unknown'),
  });
});
afterAll(async () => {
  await fake.close();
});

async function drain(audio: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of audio) bytes += chunk.length;
  return bytes;
}

describe('synthesis records', () => {
  it('records a finished synthesis once, after its audio ended, with its cost and context', async () => {
    records.length = 0;
    const input = 'Twenty-six characters ok.!';
    const synthesis = await synthesize({ model: 'priced', input, voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, context });
    expect(records).toEqual([]);
    const bytes = await drain(synthesis.audio);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      context,
      model: 'priced',
      deploymentId: 'openai-a',
      provider: 'openai',
      characters: input.length,
      costUsd: input.length * 15e-6,
      status: 'success',
      attempts: 1,
      audioBytes: bytes,
    });
    expect(records[0]?.latencyMs).toBeGreaterThan(0);
  });

  it('records a failure before any audio, with the error code the client saw', async () => {
    records.length = 0;
    fake.inject({ kind: 'auth' });
    await expect(
      synthesize({ model: 'priced', input: 'x', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, context }),
    ).rejects.toThrow();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'error', errorCode: 'AllDeploymentsFailedError', costUsd: 0, attempts: 1, deploymentId: undefined });
  });

  it('records a synthesis the client abandoned as cancelled', async () => {
    records.length = 0;
    const controller = new AbortController();
    const synthesis = await synthesize({
      model: 'local',
      input: 'A long text to speak. '.repeat(200),
      voice: 'alloy',
      format: 'pcm',
      speed: 1,
      signal: controller.signal,
      context,
    });
    for await (const _chunk of synthesis.audio) {
      controller.abort();
      break;
    }
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'cancelled', deploymentId: 'local-a', costUsd: 0 });
  });

  it('records an unknown model as an error too', async () => {
    records.length = 0;
    await expect(
      synthesize({ model: 'nope', input: 'x', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, context }),
    ).rejects.toThrow(/does not exist/);
    expect(records).toMatchObject([{ status: 'error', model: 'nope', attempts: 0 }]);
  });
});
