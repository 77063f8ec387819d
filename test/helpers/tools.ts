import { findExecutable } from '../../src/config/executables.js';
import type { GatewayTools } from '../../src/compose-gateway.js';

export function requireExecutable(name: string): string {
  const path = findExecutable(name, process.env['PATH'] ?? '');
  if (path === undefined) throw new Error(`${name} is not on the PATH: run "bash scripts/test.sh", which installs it`);
  return path;
}

export function testTools(engine: 'binary' | 'wasm' = 'binary'): GatewayTools {
  return {
    ffmpegPath: requireExecutable('ffmpeg'),
    espeakBinaryPath: engine === 'binary' ? requireExecutable('espeak-ng') : undefined,
    nodePath: process.execPath,
  };
}
