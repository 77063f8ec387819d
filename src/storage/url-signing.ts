import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * HMAC-signed, expiring download URLs for the filesystem driver: the signature covers the
 * key and the expiry, so neither can be changed without the secret.
 */
export interface UrlSigner {
  sign(key: string, expiresAt: number): Promise<string>;
  verify(key: string, expiresAt: number, signature: string, now: number): Promise<boolean>;
}

export function createUrlSigner(secret: () => Promise<string>): UrlSigner {
  const mac = async (key: string, expiresAt: number): Promise<Buffer> =>
    createHmac('sha256', await secret())
      .update(`${key}\n${expiresAt}`)
      .digest();
  return {
    async sign(key, expiresAt) {
      return (await mac(key, expiresAt)).toString('base64url');
    },
    async verify(key, expiresAt, signature, now) {
      if (!Number.isInteger(expiresAt) || expiresAt * 1000 < now) return false;
      const expected = await mac(key, expiresAt);
      const given = Buffer.from(signature, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/**
 * The configured secret, else one generated once and kept in `file`, so every process that
 * shares the audio folder signs alike and URLs survive a restart. Never a built-in constant.
 */
export function persistentSecret(configured: string | undefined, file: string): () => Promise<string> {
  let loaded: Promise<string> | undefined;
  return () => {
    loaded ??= configured !== undefined ? Promise.resolve(configured) : readOrCreate(file);
    return loaded;
  };
}

async function readOrCreate(file: string): Promise<string> {
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  await mkdir(dirname(file), { recursive: true });
  try {
    // `wx`: when two processes start together, one writes and the other reads what it wrote.
    await writeFile(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = await readSecret(file);
  if (created === undefined) throw new Error(`could not read the URL signing secret in ${file}`);
  return created;
}

async function readSecret(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text.length >= 32 ? text : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
