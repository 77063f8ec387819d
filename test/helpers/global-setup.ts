import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findExecutable } from '../../src/config/executables.js';
import { planServices } from './services.js';

/**
 * The suite uses real tools. A missing one fails the run at once and says what to install,
 * instead of letting tests skip. Then the run's test services are chosen once (containers or
 * processes) and the choice printed in one line.
 */
export default async function setup(project: TestProject): Promise<void> {
  const path = process.env['PATH'] ?? '';
  const missing = ['ffmpeg', 'ffprobe', 'espeak-ng', 'redis-server', 'redis-cli', 'redis-sentinel', 'chromium'].filter(
    (tool) => findExecutable(tool, path) === undefined,
  );
  if (missing.length > 0) {
    throw new Error(`the test suite needs ${missing.join(', ')} on the PATH: run "bash scripts/test.sh", which installs them`);
  }
  // Ryuk, testcontainers' reaper, is an image no registry may serve here: the tests stop their own containers.
  process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
  // A Cluster run (TEST_REDIS=cluster) keeps its notes apart from the main run's.
  const markerDirectory = resolve(project.config.root, '.test-results', process.env['TEST_REDIS'] === 'cluster' ? 'services-cluster' : 'services');
  await rm(markerDirectory, { recursive: true, force: true });
  const plan = await planServices(process.env, markerDirectory);
  console.log(`test services: ${plan.kind} (${plan.reason})${plan.redisTopology === 'cluster' ? '; Redis: a 3-master, 3-replica Cluster per file' : ''}`);
  project.provide('testServices', plan);
}
