import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import calculateSlot from 'cluster-key-slot';
import type { z } from 'zod';
import type { RedisClient } from './redis-client.js';

/** One argument to a script: Redis receives every argument as a string. */
type ScriptArgument = string | number;

/**
 * A Lua script whose reply is read through a zod schema. Scripts are `.lua` files next to the
 * module that defines them (a build copies them beside the compiled modules); a line
 * `--- @include "name"` is replaced by `name.lua` from the same folder, as BullMQ does.
 */
export interface RedisScript<Reply> {
  /** The file's name without `.lua`, for errors and logs. */
  readonly name: string;
  /** The source after includes, read on first use. */
  source(): string;
  /**
   * Runs the script by its SHA, sending the source only when the server has not seen it (a
   * restart or a failover to a replica forgets scripts). Every key must be in `keys` and in one
   * hash slot, as a Cluster demands; a single server is held to the same rule, so a script that
   * would fail on a Cluster fails everywhere.
   */
  run(redis: RedisClient, keys: readonly string[], args: readonly ScriptArgument[]): Promise<Reply>;
}

export function defineScript<Schema extends z.ZodType>(file: URL, reply: Schema): RedisScript<z.output<Schema>> {
  const name = fileURLToPath(file)
    .replace(/^.*[\\/]/, '')
    .replace(/\.lua$/, '');
  let loaded: { source: string; sha: string } | undefined;
  const load = (): { source: string; sha: string } => {
    if (loaded === undefined) {
      const source = readScript(file);
      loaded = { source, sha: createHash('sha1').update(source).digest('hex') };
    }
    return loaded;
  };
  return {
    name,
    source: () => load().source,
    async run(redis, keys, args) {
      if (keys.length === 0) throw new Error(`Redis script ${name} needs at least one key: a Cluster routes a script by its keys`);
      assertOneSlot(name, keys);
      const { source, sha } = load();
      let raw: unknown;
      try {
        raw = await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
        raw = await redis.eval(source, keys.length, ...keys, ...args);
      }
      const parsed = reply.safeParse(raw);
      if (!parsed.success) throw new Error(`Redis script ${name} replied ${JSON.stringify(raw)}, which it never should: ${parsed.error.message}`);
      return parsed.data;
    },
  };
}

/** Thrown before a script runs whose keys span hash slots (Redis Cluster's CROSSSLOT). */
export class CrossSlotError extends Error {
  constructor(script: string, keys: readonly string[]) {
    super(`CROSSSLOT: Redis script ${script} was given keys in different hash slots: ${keys.join(', ')}`);
    this.name = 'CrossSlotError';
  }
}

function assertOneSlot(name: string, keys: readonly string[]): void {
  const [first, ...rest] = keys;
  if (first === undefined || rest.length === 0) return;
  const slot = calculateSlot(first);
  if (rest.some((key) => calculateSlot(key) !== slot)) throw new CrossSlotError(name, keys);
}

const INCLUDE = /^--- @include "([\w-]+)"\s*$/gm;

function readScript(file: URL, seen: ReadonlySet<string> = new Set()): string {
  const path = fileURLToPath(file);
  if (seen.has(path)) throw new Error(`Redis script ${path} includes itself`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Redis script ${path} is missing (a build must copy src/**/*.lua beside the compiled modules)`, { cause: error });
  }
  const folder = dirname(path);
  return text.replace(INCLUDE, (_line, included: string) => readScript(pathToFileURL(join(folder, `${included}.lua`)), new Set([...seen, path])));
}
