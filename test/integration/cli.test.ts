import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
let directory: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-cli-'));
});
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  readonly host: string;
  readonly lines: string[];
}

function launch(args: string[], environment: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return child;
}

function finish(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function listening(child: ChildProcess): Promise<Started> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const record = JSON.parse(line) as { msg?: string; port?: number; host?: string };
        if (record.msg?.startsWith('tts-gateway listening') && record.port !== undefined && record.host !== undefined) {
          resolve({ child, port: record.port, host: record.host, lines });
        }
      }
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => reject(new Error(`exited ${String(code)} before listening: ${stderr}`)));
  });
}

describe('npm start (src/main.ts)', () => {
  it('stops on a bad config and lists every problem with its path', async () => {
    const path = join(directory, 'bad.yaml');
    await writeFile(
      path,
      [
        'model_list:',
        '  - model_name: speech',
        '    litellm_params:',
        '      model: nosuch/tts-1',
        '  - model_name: other',
        '    litellm_params:',
        '      model: espeak/en-us',
        '      api_key: os.environ/TTS_TEST_UNSET_VARIABLE',
        '      weight: -1',
        '  - litellm_params: {}',
        'router_settings:',
        '  routing_strategy: fastest',
      ].join('\n'),
    );
    const result = await finish(launch(['--config', path]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid configuration');
    expect(result.stderr).toContain('model_list.1.litellm_params.api_key: environment variable TTS_TEST_UNSET_VARIABLE is not set');
    expect(result.stderr).toContain('model_list.1.litellm_params.weight');
    expect(result.stderr).toContain('model_list.2.model_name');
    expect(result.stderr).toContain('model_list.2.litellm_params.model');
    expect(result.stderr).toContain('router_settings.routing_strategy');
  });

  it('reports an unknown provider prefix after the schema passes', async () => {
    const path = join(directory, 'prefix.yaml');
    await writeFile(path, 'model_list:\n  - model_name: speech\n    litellm_params:\n      model: nosuch/tts-1\n    model_info:\n      mode: audio_speech\n');
    const result = await finish(launch([], { CONFIG_FILE_PATH: path }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/model_list\.0\.litellm_params\.model: "nosuch\/tts-1" has an unknown provider prefix/);
  });

  it('stops on unreadable YAML and a missing file', async () => {
    const path = join(directory, 'broken.yaml');
    await writeFile(path, 'model_list: [\n');
    const broken = await finish(launch(['--config', path]));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('is not valid YAML');
    const missing = await finish(launch(['--config', join(directory, 'absent.yaml')]));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });

  it('with no config and no key, serves the local models on loopback only and says so', async () => {
    const { port, host, lines } = await listening(launch(['--host', '0.0.0.0']));
    expect(host).toBe('127.0.0.1');
    expect(lines.join('\n')).toContain('listens on loopback only');
    const models = (await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id)).toEqual(['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts']);
  });

  it('honours --config, MASTER_KEY from os.environ references, and shuts down on SIGTERM', async () => {
    const path = join(directory, 'good.yaml');
    await writeFile(
      path,
      [
        'model_list:',
        '  - model_name: narrator',
        '    litellm_params:',
        '      model: espeak/en-gb',
        'general_settings:',
        '  master_key: os.environ/TTS_TEST_MASTER',
      ].join('\n'),
    );
    const child = launch(['--config', path, '--host', '127.0.0.1'], { TTS_TEST_MASTER: 'sk-cli-master' });
    const { port } = await listening(child);
    const denied = await fetch(`http://127.0.0.1:${port}/v1/models`);
    expect(denied.status).toBe(401);
    const response = await fetch(`http://127.0.0.1:${port}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-cli-master' },
      body: JSON.stringify({ model: 'narrator', voice: 'fable', input: 'Good evening.' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const exited = finish(child);
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('starts on a LiteLLM config with no speech model, protected by LITELLM_MASTER_KEY, and names what it left out', async () => {
    const config = new URL('../fixtures/litellm/chat-only.yaml', import.meta.url).pathname;
    const { port, lines } = await listening(launch(['--config', config, '--host', '127.0.0.1'], { LITELLM_MASTER_KEY: 'sk-from-litellm-variable' }));
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401);
    const models = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: 'Bearer sk-from-litellm-variable' } });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data).toEqual([]);
    const log = lines.join('\n');
    expect(log).toContain('model group \\"mistral\\"');
    expect(log).toContain('no speech model is configured');
  });

  it('rejects an unknown flag', async () => {
    const result = await finish(launch(['--colour']));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--colour');
  });
});
