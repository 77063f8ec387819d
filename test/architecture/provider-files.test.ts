import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PROVIDERS = resolve(import.meta.dirname, '../../src/providers');

/**
 * The names a provider folder's files begin with. A folder holds one adapter, or a family
 * (vertex-ai serves Cloud TTS and Gemini; google holds what Gemini and Vertex share).
 * `spec/` and `shared/` are the adapters' common ground and follow no prefix.
 */
const PREFIXES: Readonly<Record<string, readonly string[]>> = {
  openai: ['openai'],
  azure: ['azure'],
  'azure-speech': ['azure-speech'],
  'aws-polly': ['polly'],
  elevenlabs: ['elevenlabs'],
  minimax: ['minimax'],
  gemini: ['gemini'],
  google: ['gemini', 'google'],
  'vertex-ai': ['vertex', 'cloud-tts', 'vertex-gemini'],
  espeak: ['espeak'],
};
const COMMON_GROUND = new Set(['spec', 'shared']);

/** The files of `folder` whose names break the scheme: `index.ts`, or `<prefix>-<concept>.ts` (`-provider`, `-request`, `-errors`, `-voices`, ...). */
function misnamedFiles(folder: string, files: readonly string[]): string[] {
  const prefixes = PREFIXES[folder];
  if (prefixes === undefined) return files.map((file) => `${folder}/${file} (a provider folder without a naming rule)`);
  return files
    .filter((file) => file !== 'index.ts')
    .filter((file) => !prefixes.some((prefix) => new RegExp(`^${prefix}-[a-z0-9]+(?:-[a-z0-9]+)*\\.(?:ts|mjs)$`).test(file)))
    .map((file) => `${folder}/${file}`);
}

describe('provider file names', () => {
  it('name every file of every provider folder by its adapter: <p>-provider, <p>-request, <p>-errors, <p>-voices, ...', () => {
    const folders = readdirSync(PROVIDERS, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !COMMON_GROUND.has(entry.name));
    const problems = folders.flatMap((folder) => misnamedFiles(folder.name, readdirSync(join(PROVIDERS, folder.name))));
    expect(problems).toEqual([]);
  });

  it('catches a file that breaks the scheme, and a folder nobody named', () => {
    expect(misnamedFiles('openai', ['index.ts', 'openai-provider.ts', 'errors.ts', 'speech-provider.ts'])).toEqual([
      'openai/errors.ts',
      'openai/speech-provider.ts',
    ]);
    expect(misnamedFiles('acme', ['index.ts'])).toEqual(['acme/index.ts (a provider folder without a naming rule)']);
  });
});
