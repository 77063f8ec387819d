import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAudio } from '../helpers/audio.js';

/** `tts-gateway say` and `voices` in this process (no server), as a shell user runs them. */
const root = resolve(import.meta.dirname, '../..');
const tsx = fileURLToPath(import.meta.resolve('tsx'));
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-cli-say-'));
  await writeFile(join(directory, 'text.txt'), 'Read from a file.');
  await writeFile(
    join(directory, 'config.yaml'),
    [
      'model_list:',
      '  - model_name: narrator',
      '    litellm_params:',
      '      model: espeak/en-gb',
      '  - model_name: german',
      '    litellm_params:',
      '      model: espeak/de',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function tts(args: readonly string[], stdin?: string): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/cli/main.ts'), ...args], {
    cwd: directory,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr })));
}

describe('tts-gateway say', () => {
  it('speaks an argument into a file, the format taken from its extension', async () => {
    const result = await tts(['say', 'Hello from the shell.', '-o', 'hello.flac']);
    expect(result.stderr).toMatch(/^wrote hello\.flac: \d+ bytes of flac, 21 characters, \$0\.0000, deployment local-tts-1 \(espeak\) after 1 attempt\(s\)$/m);
    expect(result.code).toBe(0);
    expect((await probeAudio(await readFile(join(directory, 'hello.flac')))).codec).toBe('flac');
  });

  it('reads standard input, or --file, and writes to standard output when piped', async () => {
    const piped = await tts(['say', '--format', 'wav', '--model', 'espeak/de'], 'Hallo von der Standardeingabe.');
    expect(piped.code).toBe(0);
    expect(piped.stdout.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect((await probeAudio(piped.stdout)).duration).toBeGreaterThan(1);
    const fromFile = await tts(['say', '--file', 'text.txt', '--config', 'config.yaml', '--model', 'narrator', '-o', 'file.mp3']);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).toContain('17 characters');
    expect((await probeAudio(await readFile(join(directory, 'file.mp3')))).codec).toBe('mp3');
  });

  it('fails with the typed error and leaves no file', async () => {
    const unknown = await tts(['say', 'x', '--config', 'config.yaml', '--model', 'nosuch', '-o', 'nothing.mp3']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("tts-gateway: NotFoundError (404 model_not_found): The model 'nosuch' does not exist");
    const badVoice = await tts(['say', 'x', '--voice', '-v', '-o', 'nothing.mp3']);
    expect(badVoice.code).not.toBe(0);
    expect((await readdir(directory)).filter((name) => name.includes('nothing'))).toEqual([]);
  });
});

describe('tts-gateway voices', () => {
  it('lists the voices of every group of the config', async () => {
    const listed = await tts(['voices', '--config', 'config.yaml']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.toString()).toContain('narrator (espeak)\n  alloy, ash, ballad');
    const json = JSON.parse((await tts(['voices', '--config', 'config.yaml', '--model', 'german', '--json'])).stdout.toString()) as Array<{
      id: string;
      voices: string[];
    }>;
    expect(json.map((group) => group.id)).toEqual(['german']);
    expect(json[0]?.voices).toContain('nova');
  });
});
