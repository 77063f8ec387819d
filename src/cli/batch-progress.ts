import { Presets, SingleBar } from 'cli-progress';
import type { Job } from '../library/jobs-client.js';
import { formatCost } from './cli-output.js';

/** Shows a job's progress: a live bar on a terminal, one plain line per change elsewhere (logs, pipes, CI). */
export interface BatchProgress {
  update(job: Job): void;
  /** Writes a line above the bar (or plainly), leaving the bar intact. */
  log(line: string): void;
  /** Halts redrawing while the terminal is used for something else (a question). */
  pause(): void;
  resume(): void;
  stop(): void;
}

const done = (job: Job): number => job.request_counts.completed + job.request_counts.failed + job.request_counts.cancelled;

/** Time left at the pace so far; unknown until the first item ends. */
function timeLeft(finished: number, total: number, elapsedMs: number): string | undefined {
  if (finished === 0 || finished >= total) return finished >= total ? '0 s' : undefined;
  const seconds = Math.ceil((elapsedMs / 1000 / finished) * (total - finished));
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} min` : `${seconds} s`;
}

export function createBatchProgress(stream: NodeJS.WriteStream, total: number): BatchProgress {
  return stream.isTTY === true ? terminalProgress(stream, total) : plainProgress(stream);
}

function terminalProgress(stream: NodeJS.WriteStream, total: number): BatchProgress {
  const bar = new SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} items | {failed} failed | {characters} characters | {cost} | {left} left',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
      fps: 10,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  const payload = (job?: Job) => ({
    failed: job?.request_counts.failed ?? 0,
    characters: job?.usage.characters ?? 0,
    cost: formatCost(job?.usage.cost_usd ?? 0),
    left: (job === undefined ? undefined : timeLeft(done(job), total, Date.now() - started)) ?? '?',
  });
  bar.start(total, 0, payload());
  let running = true;
  let last: Job | undefined;
  return {
    update(job) {
      last = job;
      if (running) bar.update(done(job), payload(job));
    },
    log(line) {
      if (!running) {
        stream.write(`${line}\n`);
        return;
      }
      // Clear the bar's line, write above it, and draw the bar again below.
      stream.write(`\r\x1b[2K${line}\n`);
      bar.render();
    },
    pause() {
      if (!running) return;
      running = false;
      bar.stop();
    },
    resume() {
      if (running) return;
      running = true;
      bar.start(total, last === undefined ? 0 : done(last), payload(last));
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream): BatchProgress {
  const started = Date.now();
  let previous = '';
  return {
    update(job) {
      const counts = job.request_counts;
      const finished = done(job);
      const line = `${job.status}: ${finished}/${counts.total} items, ${counts.failed} failed, ${job.usage.characters} characters, ${formatCost(job.usage.cost_usd)}`;
      if (line === previous) return;
      previous = line;
      const left = finished < counts.total ? timeLeft(finished, counts.total, Date.now() - started) : undefined;
      stream.write(`${line}${left === undefined ? '' : `, about ${left} left`}\n`);
    },
    log: (line) => stream.write(`${line}\n`),
    pause: () => undefined,
    resume: () => undefined,
    stop: () => undefined,
  };
}
