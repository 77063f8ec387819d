import type { Dir } from 'node:fs';
import { opendir, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** The name `put` gives a file while it is being written: `{target}.partial-{writer hex}[-{counter}]`. */
const PARTIAL_FILE = /\.partial-[0-9a-f]+(?:-\d+)?$/;

/**
 * Removes the temporary files of writers that died before renaming them into place (a worker
 * killed mid-upload). Only files untouched for `olderThanMs` go: a living writer keeps its
 * file's modification time fresh as it writes, and holds its item's lock meanwhile.
 * Returns how many were removed.
 */
export async function sweepPartialFiles(root: string, olderThanMs: number, now: () => number): Promise<number> {
  let removed = 0;
  const walk = async (folder: string): Promise<void> => {
    let entries: Dir;
    try {
      entries = await opendir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for await (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      if (!entry.isFile() || !PARTIAL_FILE.test(entry.name)) continue;
      try {
        const info = await stat(path);
        if (now() - info.mtimeMs < olderThanMs) continue;
        await unlink(path);
        removed += 1;
      } catch (error) {
        // Renamed into place or removed by someone else meanwhile: nothing left to sweep.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  };
  await walk(root);
  return removed;
}

/**
 * Removes the folders between `path` and `root` that are empty, deepest first, so a deleted or
 * expired job leaves no empty `jobs/{id}/items` behind. The top-level folders (`root/jobs`) stay:
 * a writer of another job may be creating its folder inside them at this very moment.
 */
export async function removeEmptyFolders(root: string, path: string): Promise<void> {
  let folder = dirname(path);
  for (;;) {
    const inside = relative(root, folder);
    // At the root, a top-level folder, or outside the root: stop.
    if (inside === '' || !inside.includes(sep) || inside.startsWith('..')) return;
    try {
      await rmdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Not empty (other objects of the job remain) or already gone: nothing more to do above it.
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return;
      throw error;
    }
    folder = dirname(folder);
  }
}
