import { findExecutable } from '../../src/config/executables.js';

/**
 * The suite uses real tools. A missing one fails the run at once and says what to install,
 * instead of letting tests skip.
 */
export default function checkTools(): void {
  const path = process.env['PATH'] ?? '';
  const missing = ['ffmpeg', 'ffprobe', 'espeak-ng', 'redis-server', 'chromium'].filter((tool) => findExecutable(tool, path) === undefined);
  if (missing.length > 0) {
    throw new Error(`the test suite needs ${missing.join(', ')} on the PATH: run "bash scripts/test.sh", which installs them`);
  }
}
