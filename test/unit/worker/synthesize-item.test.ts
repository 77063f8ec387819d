import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmDurationSeconds } from '../../../src/audio/concatenate.js';
import { createFfmpegTranscoder } from '../../../src/audio/transcode.js';
import type { Synthesis, SynthesisCommand, Synthesize } from '../../../src/core/synthesize.js';
import type { Deployment } from '../../../src/domain/catalog.js';
import type { ItemSpec } from '../../../src/jobs/job-records.js';
import { createFilesystemStore } from '../../../src/storage/filesystem-store.js';
import type { ObjectStore } from '../../../src/storage/object-store.js';
import { createUrlSigner } from '../../../src/storage/url-signing.js';
import { chunkText } from '../../../src/text/chunk-text.js';
import { type ItemWork, synthesizeItem } from '../../../src/worker/synthesize-item.js';
import { requireExecutable } from '../../helpers/tools.js';
import { catalogOf, deployment } from '../router/router-fixtures.js';

/**
 * One item from text to stored file, with `synthesize` replaced by a script of what each piece
 * does; pcm items need no encoder, so the real transcoder passes them through.
 */
let directory: string;
let store: ObjectStore;
const transcoder = createFfmpegTranscoder(requireExecutable('ffmpeg'));

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-synthesize-item-'));
  store = createFilesystemStore({ root: directory, signer: createUrlSigner(async () => 'a-test-secret'), now: Date.now });
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The group's pieces must fit its smallest deployment: 40 characters here. */
const wide = deployment('dep-wide', { modelName: 'narrator', maxInputCharacters: 4096 });
const narrow = deployment('dep-narrow', { modelName: 'narrator', maxInputCharacters: 40 });
const catalog = catalogOf([wide, narrow]);

const LONG = 'The first sentence is here. A second one follows it. Then a third comes along. And a fourth ends it.';

function synthesis(command: SynthesisCommand, served: Deployment, bytes: Uint8Array, costUsd: number): Synthesis {
  return {
    audio: (async function* () {
      yield bytes;
    })(),
    format: command.format,
    contentType: 'audio/pcm',
    deployment: served,
    attempts: [],
    warnings: [],
    characters: command.input.length,
    costUsd,
  };
}

function work(spec: Partial<ItemSpec> & { input: string }, signal = new AbortController().signal): ItemWork {
  return {
    jobId: `job_${'a'.repeat(24)}`,
    index: Math.floor(Math.random() * 1e9),
    model: 'narrator',
    spec: { customId: null, voice: 'alloy', format: 'pcm', speed: 1, ...spec },
    context: { requestId: 'req_1', source: 'job', keyId: 'master', jobId: `job_${'a'.repeat(24)}`, itemIndex: 0 },
    signal,
  };
}

async function stored(key: string): Promise<Buffer> {
  const object = await store.get(key);
  if (object === undefined) throw new Error(`nothing stored at ${key}`);
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('synthesizeItem', () => {
  it('streams text within the limit through one synthesis to storage, with its cost and length', async () => {
    const commands: SynthesisCommand[] = [];
    const synthesize: Synthesize = async (command) => {
      commands.push(command);
      return synthesis(command, wide, new Uint8Array(48_000).fill(7), 0.0012);
    };
    const item = work({ input: 'Short enough.', instructions: 'Calmly.' });
    const result = await synthesizeItem({ synthesize, catalog, transcoder, store, chunkParallelism: 2 }, item);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ model: 'narrator', input: 'Short enough.', voice: 'alloy', format: 'pcm', speed: 1, instructions: 'Calmly.' });
    expect(commands[0]?.signal).toBe(item.signal);
    expect(result).toEqual({
      audio: { key: result.audio.key, contentType: 'audio/pcm', bytes: 48_000, durationSeconds: 1 },
      characters: 13,
      costUsd: 0.0012,
      deployment: 'dep-wide',
      provider: 'openai',
      pieces: 1,
    });
    expect((await stored(result.audio.key)).length).toBe(48_000);
  });

  it('cuts longer text into pieces that fit every deployment, joins their audio in order and adds up their cost', async () => {
    const pieces = chunkText(LONG, 40);
    expect(pieces).toHaveLength(4);
    const inputs: string[] = [];
    const synthesize: Synthesize = async (command) => {
      const index = pieces.indexOf(command.input);
      inputs.push(command.input);
      expect(command.format).toBe('pcm');
      // Later pieces finish first: order in the file comes from the text, not from timing.
      await new Promise((resolve) => setTimeout(resolve, (pieces.length - index) * 5));
      return synthesis(command, index % 2 === 0 ? wide : narrow, new Uint8Array(2_400).fill(index + 1), index % 2 === 0 ? 0.1 : 0.2);
    };
    const item = work({ input: LONG });
    const result = await synthesizeItem({ synthesize, catalog, transcoder, store, chunkParallelism: 2 }, item);
    expect(inputs.sort()).toEqual([...pieces].sort());
    expect(result.pieces).toBe(pieces.length);
    expect(result.characters).toBe(pieces.join('').length);
    // Summed and rounded: 0.1 + 0.2 + 0.1 + 0.2 in floating point is 0.6000000000000001.
    expect(result.costUsd).toBe(0.6);
    expect(result.deployment).toBe('dep-wide,dep-narrow');
    expect(result.audio).toMatchObject({ contentType: 'audio/pcm', bytes: 2_400 * pieces.length, durationSeconds: pcmDurationSeconds(2_400 * pieces.length) });
    const bytes = await stored(result.audio.key);
    expect([...new Set(bytes)]).toEqual(pieces.map((_, index) => index + 1));
  });

  it('stops every other piece at the first failure, starts no more, stores nothing and fails with that error', async () => {
    const pieces = chunkText(LONG, 40);
    const failure = new Error('piece 0 failed');
    const started: string[] = [];
    const aborted: unknown[] = [];
    const synthesize: Synthesize = (command) => {
      started.push(command.input);
      if (command.input === pieces[0]) return new Promise((_, reject) => setTimeout(() => reject(failure), 20));
      // The others would take for ever: only the abort ends them.
      return new Promise((_, reject) => {
        command.signal.addEventListener('abort', () => {
          aborted.push(command.signal.reason);
          reject(command.signal.reason);
        });
      });
    };
    const item = work({ input: LONG });
    await expect(synthesizeItem({ synthesize, catalog, transcoder, store, chunkParallelism: 2 }, item)).rejects.toBe(failure);
    expect(started).toEqual(pieces.slice(0, 2));
    expect(aborted).toEqual([failure]);
    expect(await store.get(`jobs/${item.jobId}/items/${item.index}.pcm`)).toBeUndefined();
  });

  it("passes the job's cancellation on to the pieces in flight", async () => {
    const controller = new AbortController();
    const reasons: unknown[] = [];
    const synthesize: Synthesize = (command) =>
      new Promise((_, reject) => {
        command.signal.addEventListener('abort', () => {
          reasons.push(command.signal.reason);
          reject(command.signal.reason);
        });
        if (reasons.length === 0 && command.input === chunkText(LONG, 40)[1]) controller.abort(new Error('job cancelled'));
      });
    await expect(synthesizeItem({ synthesize, catalog, transcoder, store, chunkParallelism: 2 }, work({ input: LONG }, controller.signal))).rejects.toThrow(
      'job cancelled',
    );
    expect(reasons.map((reason) => (reason as Error).message)).toEqual(['job cancelled', 'job cancelled']);
  });
});
