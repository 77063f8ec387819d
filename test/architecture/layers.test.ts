import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');

/** Runs the project's own dependency rules over a tree of files; resolves to the exit code and output. */
async function cruise(directory: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: directory });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, output: failed.stdout ?? '' };
  }
}

async function tree(files: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'layers-'));
  directories.push(directory);
  await copyFile(join(root, '.dependency-cruiser.cjs'), join(directory, '.dependency-cruiser.cjs'));
  await writeFile(join(directory, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), text);
  }
  return directory;
}

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

// `npm test` runs the same rules over the real tree (scripts/test.sh); these show they can fail.
describe('layer rules', () => {
  it('fail on an upward import (config importing the HTTP layer)', async () => {
    const directory = await tree({
      'src/api/app.ts': 'export const app = 1;\n',
      'src/config/schema.ts': "import { app } from '../api/app.js';\nexport const schema = app;\n",
    });
    const result = await cruise(directory);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('no-upward-from-config');
  });

  it('fail when the worker imports the HTTP layer', async () => {
    const directory = await tree({
      'src/api/middleware/error-handler.ts': 'export const toEnvelope = 1;\n',
      'src/worker/retry-policy.ts': "import { toEnvelope } from '../api/middleware/error-handler.js';\nexport const policy = toEnvelope;\n",
    });
    const result = await cruise(directory);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('no-worker-api-crossing');
  });

  it('fail on an import cycle within one layer', async () => {
    const directory = await tree({
      'src/router/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'src/router/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    const result = await cruise(directory);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('no-circular');
  });

  it('allow a downward import', async () => {
    const directory = await tree({
      'src/config/schema.ts': 'export const schema = 1;\n',
      'src/api/app.ts': "import { schema } from '../config/schema.js';\nexport const app = schema;\n",
    });
    const result = await cruise(directory);
    expect(result.code).toBe(0);
  });
});
