import { readFile } from 'node:fs/promises';
import { CommandFailed } from './cli-output.js';

/** All of a stream, as text. */
export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A file's text; `-` is standard input. */
export async function readTextFile(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path === '-') return readStream(stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CommandFailed(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
