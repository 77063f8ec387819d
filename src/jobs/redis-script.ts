import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ScriptResult = string | number | null | ScriptResult[];

/**
 * A Lua script run by its SHA, loaded on first use (and again after a Redis restart, which
 * forgets scripts). Keeps the shared client free of custom commands.
 */
export function luaScript(source: string): (redis: Redis, keys: readonly string[], args: readonly (string | number)[]) => Promise<ScriptResult> {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as ScriptResult;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return (await redis.eval(source, keys.length, ...keys, ...args)) as ScriptResult;
    }
  };
}
