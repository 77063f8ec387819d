import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsClient } from '../../src/library/jobs-client.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { probeAudio } from '../helpers/audio.js';
import { requireExecutable } from '../helpers/tools.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * `tts-gateway batch` as a person runs it: against a service process, on a terminal (a
 * pseudo-terminal made by `script`) and with its output piped, stopped with Ctrl-C.
 */
const root = resolve(import.meta.dirname, '../..');
const tsx = fileURLToPath(import.meta.resolve('tsx'));
const cli = join(root, 'src/cli/main.ts');
let directory: string;
let server: ServerProcess;
let broken: FakeServer;
let slow: FakeServer;
const running: ChildProcess[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-cli-batch-'));
  [broken, slow] = await Promise.all([
    startOpenAIFake({ behaviour: { failureRate: 1, randomFailure: { kind: 'bad_request' } } }),
    startOpenAIFake({ behaviour: { latencyMs: 60_000 } }),
  ]);
  const openai = (fake: FakeServer) => ({ model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` });
  await writeFile(
    join(directory, 'config.yaml'),
    JSON.stringify({
      model_list: [
        { model_name: 'tts-1', litellm_params: { model: 'espeak/en-us' } },
        { model_name: 'broken', litellm_params: openai(broken) },
        { model_name: 'slow', litellm_params: { ...openai(slow), timeout: 120 } },
      ],
      job_settings: { item_attempts: 1 },
    }),
  );
  await writeFile(join(directory, 'one.txt'), 'The first file.');
  await writeFile(join(directory, 'two.txt'), 'The second file, which is longer.');
  await writeFile(join(directory, 'book.txt'), 'A paragraph.\n\nAnother paragraph,\nover two lines.\n\n\nThe last one.\n');
  server = await startServerProcess(process.execPath, ['--import', tsx, join(root, 'src/main.ts'), '--config', 'config.yaml'], { cwd: directory });
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await server?.stop();
  await Promise.all([broken?.close(), slow?.close()]);
  await rm(directory, { recursive: true, force: true });
});

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function launch(command: string, args: readonly string[]): { child: ChildProcess; finished: Promise<Finished>; stdout: () => string } {
  const child = spawn(command, args, { cwd: directory, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' }, stdio: 'pipe' });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, finished, stdout: () => stdout };
}

const batchArgs = (...args: string[]): string[] => ['--import', tsx, cli, 'batch', '--url', server.url, ...args];
const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;
/**
 * Runs the command on a pseudo-terminal: `script` gives it a TTY for stdin and stdout, and passes our writes on as keystrokes.
 * `exec` makes the command the terminal's session leader: left in between, `sh -c` would die of the Ctrl-C itself and take
 * the command down with a SIGHUP before it could answer, which a person's interactive shell never does.
 */
const onTerminal = (args: readonly string[]) =>
  launch(requireExecutable('script'), ['-qfec', `exec ${[process.execPath, ...args].map(quote).join(' ')}`, '/dev/null']);

async function until(check: () => boolean, what: string, output: () => string = () => ''): Promise<void> {
  for (let tries = 0; tries < 600; tries += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}; the output so far: ${JSON.stringify(output().slice(-2000))}`);
}

describe('tts-gateway batch', () => {
  it('prints plain progress lines when stdout is not a terminal, and downloads every item into --out', async () => {
    const { finished } = launch(process.execPath, batchArgs('one.txt', 'two.txt', '--out', 'plain', '--format', 'wav'));
    const result = await finished;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/^job job_\w+: 2 item\(s\) on /m);
    expect(result.stdout).toMatch(/^completed: 2\/2 items, 0 failed, \d+ characters, \$0\.0000$/m);
    expect(result.stdout).toContain('completed: 2 completed, 0 failed, 0 cancelled');
    expect((await readdir(join(directory, 'plain'))).sort()).toEqual(['one.wav', 'two.wav']);
    expect((await probeAudio(await readFile(join(directory, 'plain/two.wav')))).codec).toBe('pcm_s16le');
  });

  it('draws a live progress bar on a terminal', async () => {
    const { finished } = onTerminal(batchArgs('book.txt', '--out', 'terminal', '--concatenate'));
    const result = await finished;
    expect(result.code).toBe(0);
    // The bar redraws its line in place (cursor to column 1, clear to the end) with the counts, characters, cost and time left.
    expect(result.stdout).toContain('\x1b[1G');
    expect(result.stdout).toMatch(/█+ 3\/3 items \| 0 failed \| \d+ characters \| \$0\.0000 \| 0 s left/);
    expect(result.stdout).toMatch(/ 0\/3 items \| 0 failed \| 0 characters/);
    expect(result.stdout).toContain('completed: 3 completed, 0 failed');
    // One item per paragraph, named after the file, and the joined file.
    expect((await readdir(join(directory, 'terminal'))).sort()).toEqual(['book-1.mp3', 'book-2.mp3', 'book-3.mp3', 'joined.mp3']);
  });

  it('exits non-zero when items fail, naming each', async () => {
    const { finished } = launch(process.execPath, batchArgs('one.txt', 'two.txt', '--out', 'failed', '--model', 'broken'));
    const result = await finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^failed: one \(item 0\): \w+: .+$/m);
    expect(result.stderr).toMatch(/^failed: two \(item 1\): \w+: .+$/m);
    expect(result.stdout).toContain('0 completed, 2 failed');
  });

  it('on Ctrl-C at a terminal, asks, and cancels the job on the server when told to', async () => {
    const session = onTerminal(batchArgs('one.txt', 'two.txt', '--out', 'interrupted', '--model', 'slow'));
    await until(() => /job (job_\w+):/.test(session.stdout()), 'the job was submitted');
    const id = /job (job_\w+):/.exec(session.stdout())?.[1] as string;
    await until(() => slow.requests.length > 0, 'the slow deployment was called');
    session.child.stdin?.write('\x03');
    await until(() => session.stdout().includes('[c/l/w]'), 'the question was asked', session.stdout);
    session.child.stdin?.write('c\r');
    const result = await session.finished;
    expect(result.stdout).toContain(`cancelling job ${id}`);
    expect(result.code).toBe(130);
    const job = await createJobsClient({ baseUrl: server.url }).get(id);
    expect(job.status).toBe('cancelled');
  });

  it('follows a job submitted before with --job: waits for it and downloads its audio, and refuses files beside it', async () => {
    const jobs = createJobsClient({ baseUrl: server.url });
    const submitted = await jobs.submit({
      model: 'tts-1',
      voice: 'alloy',
      responseFormat: 'wav',
      items: [
        { input: 'Submitted from code.', customId: 'first' },
        { input: 'And followed from the shell.', customId: 'second' },
      ],
    });
    const { finished } = launch(process.execPath, batchArgs('--job', submitted.id, '--out', 'followed'));
    const result = await finished;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^job ${submitted.id}: 2 item\\(s\\) on `, 'm'));
    expect(result.stdout).toContain(`job ${submitted.id} completed: 2 completed, 0 failed, 0 cancelled`);
    expect((await readdir(join(directory, 'followed'))).sort()).toEqual(['first.wav', 'second.wav']);
    expect((await probeAudio(await readFile(join(directory, 'followed/second.wav')))).codec).toBe('pcm_s16le');

    const both = await launch(process.execPath, batchArgs('one.txt', '--job', submitted.id, '--out', 'both')).finished;
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('batch takes files or --job, not both');
    const unknown = await launch(process.execPath, batchArgs('--job', 'job_000000000000000000000000', '--out', 'unknown')).finished;
    expect(unknown.code).not.toBe(0);
    // Said in a line, not a stack trace.
    expect(unknown.stderr).toMatch(/job_000000000000000000000000/);
    expect(unknown.stderr).not.toMatch(/^\s+at /m);
  });

  it('on SIGINT without a terminal to ask on, leaves the job running and says how to follow it', async () => {
    const session = launch(process.execPath, batchArgs('one.txt', '--out', 'left', '--model', 'slow'));
    await until(() => /job (job_\w+):/.test(session.stdout()), 'the job was submitted');
    const id = /job (job_\w+):/.exec(session.stdout())?.[1] as string;
    session.child.kill('SIGINT');
    const result = await session.finished;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(`left job ${id} running`);
    expect(result.stderr).toContain(`tts-gateway batch --job ${id}`);
    const jobs = createJobsClient({ baseUrl: server.url });
    expect(['queued', 'in_progress']).toContain((await jobs.get(id)).status);
    await jobs.cancel(id);
  });
});
