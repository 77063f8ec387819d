import { ConfigError } from '../config/config-error.js';
import { ApiError } from '../domain/errors.js';

/** Where the command line writes, and what it reads from the environment: passed in, so tests can drive it. */
export interface CliIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** A failure the command has already explained; only the exit code is left to set. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** One line for any failure: the typed error's status and code, a config's every problem. */
export function describeCliError(error: unknown): string {
  if (error instanceof CommandFailed || error instanceof ConfigError) return error.message;
  if (error instanceof ApiError) return `${error.name} (${error.status}${error.code === null ? '' : ` ${error.code}`}): ${error.message}`;
  if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
  return error instanceof Error ? error.message : String(error);
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(usd !== 0 && usd < 0.01 ? 6 : 4)}`;
}
