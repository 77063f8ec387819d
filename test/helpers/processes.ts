import { execFileSync } from 'node:child_process';

/** The command names of this process's living children (zombies excluded). */
export function childProcessNames(pid: number = process.pid): string[] {
  let output: string;
  try {
    output = execFileSync('ps', ['-o', 'stat=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are no children
  }
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Z'))
    .map((line) => line.split(/\s+/).slice(1).join(' '));
}

export async function waitFor(condition: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return condition();
}
