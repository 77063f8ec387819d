import { createHash, randomBytes } from 'node:crypto';

/** A new virtual key: `sk-` and 32 random bytes, URL-safe. Shown to its owner once. */
export function generateVirtualKey(random: (size: number) => Buffer = randomBytes): string {
  return `sk-${random(32).toString('base64url')}`;
}

/**
 * What is stored and logged instead of a key: its SHA-256 in hex (LiteLLM's `token`). Keys
 * are long and random, so an unsalted hash cannot be reversed and lets a lookup by hash work.
 */
export function hashVirtualKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const TOKEN = /^[0-9a-f]{64}$/;

/** Accepts a key or its hash (as `/key/info` and `/spend/logs` do) and returns the hash. */
export function tokenOf(keyOrToken: string): string {
  return TOKEN.test(keyOrToken) ? keyOrToken : hashVirtualKey(keyOrToken);
}

/** LiteLLM's display name for a key: its last four characters, never more. */
export function abbreviateKey(key: string): string {
  return `sk-...${key.slice(-4)}`;
}
