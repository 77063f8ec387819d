import { createJobsClient, type Job } from '../library/jobs-client.js';
import type { ResponseFormat } from '../audio/formats.js';
import { ask } from './ask.js';
import { type BatchSource, batchItems, type SplitMode } from './batch-items.js';
import { type BatchProgress, createBatchProgress } from './batch-progress.js';
import { CommandFailed, type CliIo, formatCost } from './cli-output.js';
import { readTextFile } from './read-text.js';

export interface BatchOptions {
  readonly out: string;
  readonly url: string;
  readonly key?: string;
  readonly model: string;
  readonly voice: string;
  readonly format?: ResponseFormat;
  readonly speed?: string;
  readonly instructions?: string;
  readonly concatenate?: boolean;
  readonly split?: SplitMode;
  /** Follow (and download) a job submitted before, instead of submitting one. */
  readonly job?: string;
}

/** Exit status for a run stopped with Ctrl-C, as a shell reports SIGINT. */
const INTERRUPTED = 130;

/**
 * `tts-gateway batch`: the files become one job on a running server; its progress shows
 * while it runs, its audio lands in `--out` when it ends, and the exit status is non-zero when
 * any item failed, naming each. Ctrl-C asks whether to cancel the job or leave it running.
 */
export async function batch(files: readonly string[], options: BatchOptions, io: CliIo): Promise<number> {
  const key = options.key ?? io.environment['TTS_GATEWAY_API_KEY'] ?? io.environment['MASTER_KEY'];
  const jobs = createJobsClient({ baseUrl: options.url, ...(key === undefined ? {} : { apiKey: key }) });
  let job: Job;
  if (options.job !== undefined) {
    if (files.length > 0) throw new CommandFailed('batch takes files or --job, not both');
    job = await jobs.get(options.job);
  } else {
    if (files.length === 0) throw new CommandFailed('batch needs at least one file (or - for standard input)');
    const sources: BatchSource[] = [];
    for (const path of files) sources.push({ path, text: await readTextFile(path, io.stdin) });
    const items = batchItems(sources, options.split ?? (files.length === 1 ? 'paragraph' : 'file'));
    if (items.length === 0) throw new CommandFailed('the files hold no text');
    const speed = options.speed === undefined ? undefined : Number(options.speed);
    job = await jobs.submit({
      model: options.model,
      voice: options.voice,
      items,
      ...(options.format === undefined ? {} : { responseFormat: options.format }),
      ...(speed === undefined ? {} : { speed }),
      ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
      ...(options.concatenate === true ? { concatenate: true } : {}),
    });
  }
  const watching = new AbortController();
  let interrupted = false;
  let asking = false;
  const resumeHint = `tts-gateway batch --job ${job.id} --url ${options.url} --out ${options.out}`;
  let progress: BatchProgress | undefined;
  const onInterrupt = (): void => {
    interrupted = true;
    // A second Ctrl-C while the question is open leaves the job as it is.
    if (asking) return;
    asking = true;
    progress?.pause();
    void ask(`\nCancel job ${job.id} on the server (c), leave it running and exit (l), or keep waiting (w)? [c/l/w] `, io.stdin, io.stderr).then(
      async (answer) => {
        asking = false;
        if (answer === 'w') {
          interrupted = false;
          progress?.resume();
          return;
        }
        if (answer === 'c' || answer === 'cancel' || answer === 'y') {
          io.stderr.write(`cancelling job ${job.id}\n`);
          await jobs.cancel(job.id).catch((error: unknown) => io.stderr.write(`the job could not be cancelled: ${String(error)}\n`));
          // Watching goes on until the job is terminal; what completed is still downloaded.
          progress?.resume();
          return;
        }
        io.stderr.write(`left job ${job.id} running; follow it later with:\n  ${resumeHint}\n`);
        watching.abort();
      },
    );
  };
  // Listening before the job's id is shown: a Ctrl-C from someone who has read it is theirs to answer.
  process.on('SIGINT', onInterrupt);
  try {
    io.stdout.write(`job ${job.id}: ${job.request_counts.total} item(s) on ${options.url}\n`);
    const shown = createBatchProgress(io.stdout, job.request_counts.total);
    progress = shown;
    try {
      job = await jobs.wait(job.id, { onProgress: (update) => shown.update(update), signal: watching.signal });
    } catch (error) {
      if (watching.signal.aborted) return INTERRUPTED;
      throw error;
    } finally {
      shown.stop();
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }

  const downloaded = await jobs.download(job, options.out);
  const counts = job.request_counts;
  io.stdout.write(
    `job ${job.id} ${job.status}: ${counts.completed} completed, ${counts.failed} failed, ${counts.cancelled} cancelled; ` +
      `${job.usage.characters} characters, ${formatCost(job.usage.cost_usd)}; ${downloaded.length} file(s) in ${options.out}\n`,
  );
  for (const file of downloaded) io.stdout.write(`  ${file.path} (${file.bytes} bytes)\n`);
  const failed = job.items.filter((item) => item.status === 'failed');
  for (const item of failed) {
    io.stderr.write(`failed: ${item.custom_id ?? `item ${item.index}`} (item ${item.index}): ${item.error?.code ?? 'error'}: ${item.error?.message ?? ''}\n`);
  }
  const cancelled = job.items.filter((item) => item.status === 'cancelled');
  if (cancelled.length > 0) io.stderr.write(`cancelled: ${cancelled.map((item) => item.custom_id ?? `item ${item.index}`).join(', ')}\n`);
  if (interrupted) return INTERRUPTED;
  return failed.length === 0 && cancelled.length === 0 && job.status === 'completed' ? 0 : 1;
}
