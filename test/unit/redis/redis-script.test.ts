import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { CrossSlotError, defineScript } from '../../../src/redis/redis-script.js';

/** A client that records what it was sent and answers as told; no server needed for these rules. */
function scriptedClient(answer: (command: 'evalsha' | 'eval', args: unknown[]) => unknown): { client: RedisClient; sent: Array<[string, unknown[]]> } {
  const sent: Array<[string, unknown[]]> = [];
  const client = {
    evalsha: async (...args: unknown[]) => {
      sent.push(['evalsha', args]);
      return answer('evalsha', args);
    },
    eval: async (...args: unknown[]) => {
      sent.push(['eval', args]);
      return answer('eval', args);
    },
  } as unknown as RedisClient;
  return { client, sent };
}

async function scriptFiles(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'redis-script-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  return folder;
}

describe('defineScript', () => {
  it('replaces @include lines with the named file from the same folder', async () => {
    const folder = await scriptFiles({ 'shared.lua': 'local function two() return 2 end\n', 'main.lua': '--- @include "shared"\nreturn two()\n' });
    const script = defineScript(pathToFileURL(join(folder, 'main.lua')), z.number());
    expect(script.name).toBe('main');
    expect(script.source()).toBe('local function two() return 2 end\n\nreturn two()\n');
  });

  it('runs by SHA and sends the source only after NOSCRIPT', async () => {
    const folder = await scriptFiles({ 'answer.lua': 'return 42\n' });
    const script = defineScript(pathToFileURL(join(folder, 'answer.lua')), z.number());
    const { client, sent } = scriptedClient((command) => {
      if (command === 'evalsha') throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      return 42;
    });
    expect(await script.run(client, ['{a}:one', '{a}:two'], ['x', 3])).toBe(42);
    expect(sent.map(([command]) => command)).toEqual(['evalsha', 'eval']);
    expect(sent[0]?.[1]).toEqual([createHash('sha1').update('return 42\n').digest('hex'), 2, '{a}:one', '{a}:two', 'x', 3]);
    expect(sent[1]?.[1]).toEqual(['return 42\n', 2, '{a}:one', '{a}:two', 'x', 3]);
  });

  it('reads the reply through its schema and fails loudly on one it never should get', async () => {
    const folder = await scriptFiles({ 'pair.lua': 'return {1, 2}\n' });
    const script = defineScript(pathToFileURL(join(folder, 'pair.lua')), z.tuple([z.string(), z.string()]));
    const { client } = scriptedClient(() => [1, 2]);
    await expect(script.run(client, ['key'], [])).rejects.toThrow(/Redis script pair replied \[1,2\]/);
  });

  it('refuses keys in different hash slots before sending anything, as a Cluster would', async () => {
    const folder = await scriptFiles({ 'two-keys.lua': 'return 1\n' });
    const script = defineScript(pathToFileURL(join(folder, 'two-keys.lua')), z.number());
    const { client, sent } = scriptedClient(() => 1);
    await expect(script.run(client, ['job:1:items', 'job:1:counts'], [])).rejects.toBeInstanceOf(CrossSlotError);
    await expect(script.run(client, [], [])).rejects.toThrow(/needs at least one key/);
    expect(sent).toEqual([]);
    expect(await script.run(client, ['job:{1}:items', 'job:{1}:counts'], [])).toBe(1);
  });

  it('names the missing file and what a build must copy', async () => {
    const script = defineScript(pathToFileURL(join(tmpdir(), 'no-such-script.lua')), z.number());
    expect(() => script.source()).toThrow(/no-such-script\.lua is missing \(a build must copy src\/\*\*\/\*\.lua/);
  });
});
