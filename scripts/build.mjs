// Builds the package: compiled ESM and .d.ts in dist/ (tsc), plus every file under src/ that
// tsc does not emit (the WASM runner, scripts), copied to the same place, since the compiled
// modules find them beside themselves.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src');
const output = join(root, 'dist');

rmSync(output, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

function* files(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}
for (const path of files(source)) {
  if (path.endsWith('.ts')) continue;
  const target = join(output, relative(source, path));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(path, target);
}
