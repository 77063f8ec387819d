import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { onJsonLines } from '../helpers/json-lines.js';
import { waitUntil } from '../helpers/wait-until.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface LogLine {
  readonly msg?: string;
  readonly pid?: number;
  readonly port?: number;
  readonly requestId?: string;
  readonly status?: number;
}

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** One request on its own connection, so the cluster may hand it to either process. */
function rejectedSpeech(port: number): Promise<{ status: number; requestId: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path: '/v1/audio/speech', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, requestId: String(response.headers['x-request-id']) }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end('{}');
  });
}

describe('npm start -- --workers 2', () => {
  it('answers from two processes on one port and stops them all on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--workers', '2', '--port', '0'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: LogLine[] = [];
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    onJsonLines(child.stdout, (record) => lines.push(record as LogLine));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');

    const listening = (): LogLine[] => lines.filter((line) => line.msg?.startsWith('tts-gateway listening') === true);
    await waitUntil(async () => (listening().length === 2 ? true : undefined), 60_000, 'two processes listening');
    const [first, second] = listening();
    expect(first?.port).toBe(second?.port);
    expect(first?.pid).not.toBe(second?.pid);
    expect([first?.pid, second?.pid]).not.toContain(child.pid);
    const port = first?.port ?? 0;

    // Connections are dealt round-robin: a handful reaches both processes.
    const answered = new Map<string, number>();
    for (let attempt = 0; attempt < 20 && new Set(answered.values()).size < 2; attempt += 1) {
      const { status, requestId } = await rejectedSpeech(port);
      expect(status).toBe(400);
      const line = await waitUntil(async () => lines.find((candidate) => candidate.requestId === requestId), 5_000, `the log line of ${requestId}`);
      expect(line.msg).toBe('request rejected');
      answered.set(requestId, line.pid ?? 0);
    }
    expect(new Set(answered.values())).toEqual(new Set([first?.pid, second?.pid]));

    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(lines.filter((line) => line.msg === 'shutting down').map((line) => line.pid)).toEqual(expect.arrayContaining([first?.pid, second?.pid]));
    for (const pid of [first?.pid, second?.pid]) expect(() => process.kill(pid ?? 0, 0)).toThrow();
  }, 90_000);
});
