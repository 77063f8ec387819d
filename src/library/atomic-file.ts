import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a stream to `path` through a temporary file beside it, renamed into place once the
 * stream has ended: a failure or an abort leaves no file, and never half of one.
 */
export async function writeFileAtomically(path: string, source: AsyncIterable<Uint8Array>): Promise<{ readonly path: string; readonly bytes: number }> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      bytes += chunk.length;
      yield chunk;
    }
  }
  try {
    await writeFile(temporary, counted(), { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { path, bytes };
}
