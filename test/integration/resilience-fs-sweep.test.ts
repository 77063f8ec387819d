import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import { createFilesystemStore } from '../../src/storage/filesystem-store.js';
import { createUrlSigner } from '../../src/storage/url-signing.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { waitUntil } from '../helpers/wait-until.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let redis: TestRedis;
let fake: FakeServer;
let directory: string;
let audio: string;
const harnesses: RunningGateway[] = [];

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startOpenAIFake()]);
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-sweep-'));
  audio = join(directory, 'audio');
});
afterAll(async () => {
  for (const harness of harnesses) await harness.close();
  await Promise.all([redis.stop(), fake.close()]);
  await rm(directory, { recursive: true, force: true });
});

async function startHarness(jobSettings: Record<string, unknown>): Promise<RunningGateway> {
  const harness = await startGateway({
    ...JOB_KEYS,
    redis: redis.url,
    config: {
      model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
      storage_settings: { path: audio, signing_secret: 'a-secret-for-the-sweep-test' },
      job_settings: { redis_prefix: uniquePrefix('sweep'), ...jobSettings },
    },
  });
  harnesses.push(harness);
  return harness;
}

/**
 * A writer in its own process, killed with SIGKILL in the middle of `put`: what it leaves is
 * exactly what a worker killed mid-upload leaves.
 */
async function killWriterMidPut(key: string): Promise<void> {
  const script = join(directory, 'writer.mts');
  await writeFile(
    script,
    `
    import { createFilesystemStore } from ${JSON.stringify(join(ROOT, 'src/storage/filesystem-store.ts'))};
    import { createUrlSigner } from ${JSON.stringify(join(ROOT, 'src/storage/url-signing.ts'))};
    const store = createFilesystemStore({ root: ${JSON.stringify(audio)}, signer: createUrlSigner(async () => 'unused'), now: Date.now });
    async function* endless() {
      yield new Uint8Array(4096);
      process.stdout.write('writing\\n');
      await new Promise(() => undefined);
    }
    await store.put(${JSON.stringify(key)}, endless(), { contentType: 'audio/mpeg' });
  `,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('writing') ? resolve() : undefined));
    child.once('exit', (code) => reject(new Error(`the writer exited with ${String(code)} before writing`)));
  });
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

const partialsIn = async (folder: string): Promise<string[]> => (await readdir(folder).catch(() => [])).filter((name) => name.includes('.partial-'));
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('half-written files', () => {
  it('a starting worker sweeps what a killed writer left once it is older than a lock, and leaves fresh ones alone', async () => {
    await killWriterMidPut('jobs/job_killed/items/0.mp3');
    const items = join(audio, 'jobs', 'job_killed', 'items');
    const [left] = await partialsIn(items);
    expect(left).toMatch(/^0\.mp3\.partial-/);
    // Older than the 2 s lock below: its writer cannot still be at work.
    const old = new Date(Date.now() - 60_000);
    await utimes(join(items, left ?? ''), old, old);
    // A file someone may still be writing: too recent to touch.
    await mkdir(join(audio, 'jobs', 'job_live', 'items'), { recursive: true });
    await writeFile(join(audio, 'jobs', 'job_live', 'items', '1.wav.partial-abcdef012345'), 'still being written');
    await writeFile(join(audio, 'jobs', 'job_live', 'items', '0.wav'), 'a finished object');

    const harness = await startHarness({ lock_seconds: 2 });
    harness.startWorkers();
    // The sweep logs once it has finished removing, so its line (not the empty folder, which comes
    // first) is the sign it is done.
    const swept = await waitUntil(
      async () => harness.logs.find((line) => line['msg'] === 'removed half-written audio left by stopped workers'),
      10_000,
      'the sweep',
    );
    expect(swept['removed']).toBe(1);
    expect(await partialsIn(items)).toEqual([]);
    expect(await partialsIn(join(audio, 'jobs', 'job_live', 'items'))).toEqual(['1.wav.partial-abcdef012345']);
    expect(await exists(join(audio, 'jobs', 'job_live', 'items', '0.wav'))).toBe(true);
  });

  it('sweepPartial counts only stale temporary files', async () => {
    const root = join(directory, 'direct');
    const store = createFilesystemStore({ root, signer: createUrlSigner(async () => 'unused'), now: Date.now });
    await store.put(
      'jobs/a/items/0.pcm',
      (async function* () {
        yield new Uint8Array(10);
      })(),
      { contentType: 'audio/pcm' },
    );
    await writeFile(join(root, 'jobs', 'a', 'items', '1.pcm.partial-0123456789ab'), 'x');
    await writeFile(join(root, 'jobs', 'a', 'items', 'notes.partial-copy'), 'not ours: no hex suffix');
    expect(await store.sweepPartial?.(60_000)).toBe(0);
    const old = new Date(Date.now() - 120_000);
    for (const name of ['1.pcm.partial-0123456789ab', 'notes.partial-copy', '0.pcm']) await utimes(join(root, 'jobs', 'a', 'items', name), old, old);
    expect(await store.sweepPartial?.(60_000)).toBe(1);
    expect((await readdir(join(root, 'jobs', 'a', 'items'))).sort()).toEqual(['0.pcm', 'notes.partial-copy']);
  });
});

describe('empty job folders', () => {
  const finished = async (harness: RunningGateway, id: string): Promise<void> => {
    await waitUntil(
      async () => (((await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView).status === 'completed' ? true : undefined),
      30_000,
      'the job',
    );
  };

  it('go with a deleted job, and the other jobs keep theirs', async () => {
    const harness = await startHarness({});
    harness.startWorkers();
    const create = async (): Promise<string> =>
      (
        (
          await harness.request('POST', '/v1/audio/speech/jobs', {
            body: { model: 'narrator', voice: 'alloy', items: [{ input: 'One.' }, { input: 'Two.' }], concatenate: true },
          })
        ).body as JobView
      ).id;
    const [doomed, kept] = await Promise.all([create(), create()]);
    await Promise.all([finished(harness, doomed ?? ''), finished(harness, kept ?? '')]);
    expect((await readdir(join(audio, 'jobs', doomed ?? ''))).sort()).toEqual(['concatenated.mp3', 'items']);
    expect((await harness.request('DELETE', `/v1/audio/speech/jobs/${doomed}`)).status).toBe(200);
    expect(await exists(join(audio, 'jobs', doomed ?? ''))).toBe(false);
    expect((await readdir(join(audio, 'jobs', kept ?? '', 'items'))).sort()).toEqual(['0.mp3', '1.mp3']);
  });

  it('go with an expired job', async () => {
    // Kept for about a second after it ends.
    const harness = await startHarness({ retention_hours: 0.0003 });
    harness.startWorkers();
    const id = (
      (await harness.request('POST', '/v1/audio/speech/jobs', { body: { model: 'narrator', voice: 'alloy', items: [{ input: 'Brief.' }] } })).body as JobView
    ).id;
    await waitUntil(async () => ((await exists(join(audio, 'jobs', id, 'items', '0.mp3'))) ? true : undefined), 30_000, 'the audio');
    await waitUntil(async () => ((await harness.request('GET', `/v1/audio/speech/jobs/${id}`)).status === 404 ? true : undefined), 30_000, 'the expiry');
    expect(await exists(join(audio, 'jobs', id))).toBe(false);
    expect(await exists(join(audio, 'jobs'))).toBe(true);
  });
});
