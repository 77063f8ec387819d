import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ProcessStreamOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** Bytes or text written to the child's stdin, or a stream piped into it. */
  readonly input: string | Uint8Array | AsyncIterable<Uint8Array>;
  readonly signal: AbortSignal;
}

/** The child exited with a failure; `stderr` holds its last words. */
export class ProcessFailedError extends Error {
  override readonly name = 'ProcessFailedError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} exited with code ${String(exitCode)}${stderr ? `: ${stderr.trim()}` : ''}`);
  }
}

const STDERR_LIMIT = 4096;

/**
 * Runs a command and yields its stdout as it is produced. The child is killed when the
 * signal aborts or when the consumer stops iterating early, so a client that goes away
 * never leaves a process behind. A non-zero exit after the output is a thrown error, so a
 * truncated result is never mistaken for a whole one.
 */
export async function* streamProcess(options: ProcessStreamOptions): AsyncGenerator<Uint8Array, void, undefined> {
  const { signal } = options;
  signal.throwIfAborted();
  const child = spawn(options.command, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_LIMIT);
  });
  let spawnError: Error | undefined;
  const closed = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  signal.addEventListener('abort', kill, { once: true });

  // The child may exit before reading all its input (or be killed): that EPIPE is not the error to report.
  child.stdin.on('error', () => undefined);
  let inputError: unknown;
  const input = options.input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    child.stdin.end(input);
  } else {
    pipeline(Readable.from(input, { objectMode: false }), child.stdin).catch((error: unknown) => {
      inputError ??= error;
      kill();
    });
  }

  try {
    for await (const chunk of child.stdout) {
      yield chunk as Uint8Array;
    }
    const exitCode = await closed;
    signal.throwIfAborted();
    if (inputError !== undefined && !isBrokenPipe(inputError)) throw inputError;
    if (spawnError) throw spawnError;
    if (exitCode !== 0) throw new ProcessFailedError(options.command, exitCode, stderr);
  } finally {
    signal.removeEventListener('abort', kill);
    kill();
  }
}

function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'EPIPE';
}
