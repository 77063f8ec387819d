import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentTypeOfKey } from './keys.js';
import { assertValidKey, type ObjectStore } from './object-store.js';
import type { UrlSigner } from './url-signing.js';

/** The API route that serves filesystem objects to holders of a signed URL. */
export const DOWNLOAD_PATH = '/v1/audio/speech/downloads';

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
      const temporary = `${target}.partial-${randomBytes(6).toString('hex')}`;
      let bytes = 0;
      const counted = async function* (): AsyncGenerator<Uint8Array> {
        for await (const chunk of body) {
          bytes += chunk.length;
          yield chunk;
        }
      };
      try {
        await pipeline(Readable.from(counted()), createWriteStream(temporary, { flags: 'wx' }));
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        // The folder may have been removed since it was made (a deleted job): the retry remakes it.
        folders.delete(folder);
        throw error;
      }
      return { bytes };
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
      await rm(pathOf(key), { force: true });
    },
    async url(key, { expiresInSeconds, baseUrl }) {
      assertValidKey(key);
      const expires = Math.floor(options.now() / 1000) + expiresInSeconds;
      const signature = await options.signer.sign(key, expires);
      return `${baseUrl.replace(/\/+$/, '')}${DOWNLOAD_PATH}/${key}?expires=${expires}&signature=${signature}`;
    },
  };
}
