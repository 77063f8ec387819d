import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { probeAudio } from '../helpers/audio.js';
import { type ServerProcess, startServerProcess } from '../cli/server-process.js';

/**
 * The package as a user gets it: packed with `npm pack` (which builds dist/ with tsc),
 * installed from the tarball into a project of its own that cannot see this repository's
 * sources, and used there through its `exports`, its `.d.ts` files and its `bin`.
 */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

let staging: string;
let project: string;
let fake: FakeServer;
let server: ServerProcess | undefined;

const environment = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' });

async function node(script: string, args: readonly string[] = [], extra: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [script, ...args], { cwd: project, env: { ...environment(), ...extra }, timeout: 60_000 });
  return stdout;
}

async function npx(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['--no', 'tts-gateway', ...args], { cwd: project, env: environment(), timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  fake = await startOpenAIFake();
  // Packed from a copy, so the build writes nowhere in the working tree.
  staging = await mkdtemp(join(tmpdir(), 'tts-pack-'));
  for (const path of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'public', 'scripts/build.mjs']) {
    await cp(join(root, path), join(staging, path), { recursive: true });
  }
  await symlink(join(root, 'node_modules'), join(staging, 'node_modules'));
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', staging], { cwd: staging, env: environment(), maxBuffer: 16 * 1024 * 1024 });
  const tarball = join(staging, stdout.trim().split('\n').at(-1) ?? '');

  project = await mkdtemp(join(tmpdir(), 'tts-consumer-'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball,
      `typescript@${manifest.devDependencies['typescript']}`,
      `@types/node@${manifest.devDependencies['@types/node']}`,
    ],
    { cwd: project, env: environment(), maxBuffer: 16 * 1024 * 1024 },
  );
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await Promise.all([staging, project].filter((path) => path !== undefined).map((path) => rm(path, { recursive: true, force: true })));
});

describe('the packed package, installed from its tarball', () => {
  it('ships the compiled library, its types and the command line, and no sources or tests', async () => {
    const installed = join(project, 'node_modules/tts-gateway');
    const top = await readdir(installed);
    expect(top.sort()).toEqual(['README.md', 'dist', 'package.json', 'public']);
    const library = await readdir(join(installed, 'dist/library'));
    expect(library).toContain('index.js');
    expect(library).toContain('index.d.ts');
    // Files tsc does not emit (the WASM runner, Lua scripts) sit beside the compiled modules that load them.
    const assets = (await readdir(join(root, 'src'), { recursive: true })).filter((path) => /\.(mjs|lua)$/.test(path));
    expect(assets.length).toBeGreaterThan(1);
    const shipped = new Set(await readdir(join(installed, 'dist'), { recursive: true }));
    expect(assets.filter((path) => !shipped.has(path))).toEqual([]);
  });

  it('imports speech() and writes a decodable mp3 with the local engine', async () => {
    await writeFile(
      join(project, 'speak.mjs'),
      [
        "import { speech } from 'tts-gateway';",
        "const response = await speech({ model: 'espeak/en-us', voice: 'alloy', input: process.argv[2] });",
        'const written = await response.streamToFile(process.argv[3]);',
        'console.log(JSON.stringify({ ...written, format: response.format, provider: response.deployment.provider }));',
      ].join('\n'),
    );
    const output = JSON.parse(await node('speak.mjs', ['Spoken by the installed package.', 'hello.mp3'])) as Record<string, unknown>;
    expect(output).toMatchObject({ path: 'hello.mp3', format: 'mp3', provider: 'espeak' });
    const probed = await probeAudio(await readFile(join(project, 'hello.mp3')));
    expect(probed.codec).toBe('mp3');
    expect(probed.duration).toBeGreaterThan(1);
  });

  it('starts nothing on import: no server, no connection, no child process, nothing that keeps node running', async () => {
    await writeFile(
      join(project, 'imports.mjs'),
      [
        "const library = await import('tts-gateway');",
        'const resources = process.getActiveResourcesInfo();',
        'console.log(JSON.stringify({ exports: Object.keys(library).length, resources }));',
      ].join('\n'),
    );
    // Node exits by itself only when nothing is left open; `node()` would time out otherwise.
    const output = JSON.parse(await node('imports.mjs')) as { exports: number; resources: string[] };
    expect(output.exports).toBeGreaterThan(10);
    // A PipeWrap is the standard error stream, which logging and colour libraries look at as they load.
    expect(output.resources.filter((resource) => /TCP|Process|Timeout|Immediate|UDP|Signal/.test(resource))).toEqual([]);
  });

  it('imports createRouter() and takes the fallback when a deployment fails', async () => {
    fake.behaviour.failureRate = 1;
    fake.behaviour.randomFailure = { kind: 'server_error', status: 500 };
    await writeFile(
      join(project, 'fallback.mjs'),
      [
        "import { createRouter } from 'tts-gateway';",
        'const router = createRouter({',
        '  model_list: [',
        "    { model_name: 'primary', litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/FAKE_KEY', api_base: process.env.FAKE_BASE } },",
        "    { model_name: 'backup', litellm_params: { model: 'espeak/en-us' } },",
        '  ],',
        "  router_settings: { fallbacks: [{ primary: ['backup'] }] },",
        '});',
        "const response = await router.speech({ model: 'primary', voice: 'alloy', input: 'Fallback.' });",
        'const bytes = (await response.arrayBuffer()).byteLength;',
        'console.log(JSON.stringify({ bytes, deployment: response.deployment, attempts: response.attempts.map((a) => [a.modelName, a.outcome]) }));',
      ].join('\n'),
    );
    const output = JSON.parse(await node('fallback.mjs', [], { FAKE_BASE: `${fake.baseUrl}/v1`, FAKE_KEY: FAKE_OPENAI_API_KEY })) as {
      bytes: number;
      deployment: { modelName: string; provider: string };
      attempts: [string, string][];
    };
    expect(output.deployment).toMatchObject({ modelName: 'backup', provider: 'espeak' });
    expect(output.attempts.at(0)?.[0]).toBe('primary');
    expect(output.attempts.at(0)?.[1]).not.toBe('success');
    expect(output.attempts.at(-1)).toEqual(['backup', 'success']);
    expect(output.bytes).toBeGreaterThan(1000);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.lastRequest().headers['authorization']).toBe(`Bearer ${FAKE_OPENAI_API_KEY}`);
  });

  it('type-checks a consumer file against the shipped .d.ts (tsc --noEmit), and refuses wrong uses', async () => {
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: ['consumer.ts'],
      }),
    );
    await writeFile(
      join(project, 'consumer.ts'),
      `import type { Readable } from 'node:stream';
import {
  ApiError,
  BadRequestError,
  createJobsClient,
  createRouter,
  type Job,
  RateLimitError,
  type ResponseFormat,
  speech,
  type SpeechResponse,
  verifyWebhook,
} from 'tts-gateway';

export async function use(): Promise<void> {
  const response: SpeechResponse = await speech({ model: 'espeak/en-us', voice: 'alloy', input: 'typed', responseFormat: 'wav', signal: AbortSignal.timeout(1000) });
  const format: ResponseFormat = response.format;
  const cost: number = response.cost;
  const stream: Readable = response.toReadable();
  const written: { readonly path: string; readonly bytes: number } = await response.streamToFile('x.wav');
  // @ts-expect-error: not one of the six formats
  await speech({ model: 'espeak/en-us', voice: 'alloy', input: 'x', responseFormat: 'mp4' });
  // @ts-expect-error: input is required
  await speech({ model: 'espeak/en-us', voice: 'alloy' });

  const router = createRouter({ model_list: [{ model_name: 'a', litellm_params: { model: 'espeak/en-us' } }], router_settings: { num_retries: 1 } });
  const names: readonly string[] = router.modelNames;
  // @ts-expect-error: num_retries is a number
  createRouter({ model_list: [{ model_name: 'a', litellm_params: { model: 'espeak/en-us' } }], router_settings: { num_retries: 'two' } });

  const jobs = createJobsClient({ baseUrl: 'http://127.0.0.1:4000', apiKey: 'sk-key' });
  const submitted: Job = await jobs.submit({ model: 'tts-1', voice: 'alloy', items: ['One.', { input: 'Two.', customId: 'two' }] });
  const job: Job = await jobs.wait(submitted.id, { onProgress: (update) => void update.request_counts.completed });
  const status: 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' = job.status;
  const files = await jobs.download(job, 'out');
  const first: string | undefined = files[0]?.path;

  try {
    await router.speech({ model: 'a', voice: 'alloy', input: 'x' });
  } catch (error) {
    if (error instanceof RateLimitError) {
      const after: number | undefined = error.retryAfter;
      const code: string | null = error.code;
      void after;
      void code;
    }
    if (error instanceof ApiError) {
      const http: number = error.status;
      const param: string | null = error.param;
      void http;
      void param;
    }
    void (error instanceof BadRequestError);
  }
  const event = verifyWebhook({ 'webhook-id': 'msg_1' }, '{}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  const type: 'speech.job.completed' | 'speech.job.failed' | 'speech.job.cancelled' = event.type;
  void [format, cost, stream, written, names, status, first, type];
}
`,
    );
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const checked = await run(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: project }).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, output: error.stdout ?? '' }),
    );
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
    // And the declarations do check the calls: a wrong use is an error.
    await writeFile(
      join(project, 'consumer.ts'),
      "import { speech } from 'tts-gateway';\nawait speech({ model: 'espeak/en-us', voice: 'alloy', input: 1 });\n",
    );
    const wrong = await run(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: project }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    expect(wrong).toContain("Type 'number' is not assignable to type 'string'");
  });

  it('runs npx tts-gateway say and batch against a running server (tts-gateway serve), writing the files', async () => {
    server = await startServerProcess(join(project, 'node_modules/.bin/tts-gateway'), ['serve'], { cwd: project });
    const said = await npx(['say', 'Spoken through the server.', '-o', 'said.opus', '--url', server.url]);
    expect(said.stderr).toContain('wrote said.opus');
    expect(said.code).toBe(0);
    expect((await probeAudio(await readFile(join(project, 'said.opus')))).codec).toBe('opus');

    const local = await npx(['say', '--model', 'espeak/de', 'Guten Tag.', '-o', 'local.wav']);
    expect(local.code).toBe(0);
    expect((await probeAudio(await readFile(join(project, 'local.wav')))).codec).toBe('pcm_s16le');

    await mkdir(join(project, 'texts'), { recursive: true });
    await writeFile(join(project, 'texts/chapter-one.txt'), 'The first chapter.');
    await writeFile(join(project, 'texts/chapter-two.txt'), 'The second chapter, a little longer.');
    const batch = await npx(['batch', 'texts/chapter-one.txt', 'texts/chapter-two.txt', '--out', 'audio', '--url', server.url, '--format', 'mp3']);
    expect(batch.stderr).toBe('');
    expect(batch.code).toBe(0);
    expect(batch.stdout).toContain('completed: 2 completed, 0 failed');
    expect((await readdir(join(project, 'audio'))).sort()).toEqual(['chapter-one.mp3', 'chapter-two.mp3']);
    for (const name of ['chapter-one.mp3', 'chapter-two.mp3']) {
      expect((await probeAudio(await readFile(join(project, 'audio', name)))).codec).toBe('mp3');
    }
  });
});
