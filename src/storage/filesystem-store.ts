import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { removeEmptyFolders, sweepPartialFiles } from './fs-sweep.js';
import { contentTypeOfKey } from './keys.js';
import { assertValidKey, type ObjectStore } from './object-store.js';
import type { UrlSigner } from './url-signing.js';

/** The API route that serves filesystem objects to holders of a signed URL. */
export const DOWNLOAD_PATH = '/v1/audio/speech/downloads';

/** Chunks are gathered up to this size before a write: one write for a short item's audio, bounded memory for a long one. */
const WRITE_BYTES = 64 * 1024;
/** …or for this long, so a slow stream still writes (and keeps its file's time fresh for the partial-file sweep). */
const WRITE_INTERVAL_MS = 500;

export interface FilesystemStoreOptions {
  readonly root: string;
  readonly signer: UrlSigner;
  readonly now: () => number;
}

/**
 * Objects as files under `root`. A write goes to a temporary file beside its target and is
 * renamed into place when complete, so a reader never sees half an object, even when the
 * writer dies mid-way.
 */
export function createFilesystemStore(options: FilesystemStoreOptions): ObjectStore {
  const root = resolve(options.root);
  const pathOf = (key: string): string => {
    assertValidKey(key);
    return join(root, key);
  };
  const folders = new Set<string>();
  // Temporary names need only be unique among writers: one random id per store, then a counter.
  const writerId = randomBytes(6).toString('hex');
  let temporaries = 0;
  return {
    driver: 'filesystem',
    async put(key, body) {
      const target = pathOf(key);
      // One mkdir per folder, not per object: a 10,000-item job writes into one folder.
      const folder = dirname(target);
      if (!folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        if (folders.size >= 1000) folders.clear();
        folders.add(folder);
      }
      temporaries += 1;
      const temporary = `${target}.partial-${writerId}-${temporaries}`;
      const counter = { bytes: 0 };
      try {
        // writeFile (open, whole writes, close) on gathered chunks costs a fraction of a write stream.
        await writeFile(temporary, gather(body, counter, options.now), { flag: 'wx' });
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        // The folder may have been removed since it was made (a deleted job): the retry remakes it.
        folders.delete(folder);
        throw error;
      }
      return { bytes: counter.bytes };
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const info = await stat(path);
        return { body: createReadStream(path), bytes: info.size, contentType: contentTypeOfKey(key) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      // The job's last object takes its folders with it.
      await removeEmptyFolders(root, path);
    },
    sweepPartial: (olderThanMs) => sweepPartialFiles(root, olderThanMs, options.now),
    async url(key, { expiresInSeconds, baseUrl }) {
      assertValidKey(key);
      const expires = Math.floor(options.now() / 1000) + expiresInSeconds;
      const signature = await options.signer.sign(key, expires);
      return `${baseUrl.replace(/\/+$/, '')}${DOWNLOAD_PATH}/${key}?expires=${expires}&signature=${signature}`;
    },
  };
}

/** Joins small chunks into writes of `WRITE_BYTES`, or what came within `WRITE_INTERVAL_MS`, counting the bytes. */
async function* gather(chunks: AsyncIterable<Uint8Array>, counter: { bytes: number }, now: () => number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let gathered = 0;
  let lastWrite = now();
  for await (const chunk of chunks) {
    counter.bytes += chunk.length;
    parts.push(chunk);
    gathered += chunk.length;
    if (gathered >= WRITE_BYTES || now() - lastWrite >= WRITE_INTERVAL_MS) {
      yield parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, gathered);
      parts = [];
      gathered = 0;
      lastWrite = now();
    }
  }
  if (gathered > 0) yield parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, gathered);
}
