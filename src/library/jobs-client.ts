import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { contentTypeOf, RESPONSE_FORMATS, type ResponseFormat } from '../audio/formats.js';
import type { ItemView, JobView } from '../jobs/job-view.js';
import { writeFileAtomically } from './atomic-file.js';
import { abortReason } from './errors.js';
import { bodyChunks, createHttpClient, type GatewayClientOptions } from './http-client.js';

/** The job object of the HTTP API (`docs/jobs.md`), field names as on the wire. */
export type Job = JobView;
export type JobItem = ItemView;
export type JobStatus = JobView['status'];

export interface JobItemInput {
  readonly input: string;
  /** Your id for the item; also the downloaded file's name. Unique within a job. */
  readonly customId?: string;
  readonly voice?: string;
  readonly responseFormat?: ResponseFormat;
  readonly speed?: number;
  readonly instructions?: string;
}

export interface SubmitJobOptions {
  /** A `model_name` of the server's config. */
  readonly model: string;
  /** The texts, or items with their own settings; an input may be far longer than a provider's limit. */
  readonly items: ReadonlyArray<string | JobItemInput>;
  /** Defaults for every item. */
  readonly voice?: string;
  readonly responseFormat?: ResponseFormat;
  readonly speed?: number;
  readonly instructions?: string;
  /** Also join every item's audio into one file. */
  readonly concatenate?: boolean;
  /** Announced when the job ends, signed with `secret` (Standard Webhooks). */
  readonly webhook?: { readonly url: string; readonly secret?: string };
  readonly metadata?: Readonly<Record<string, string>>;
  readonly user?: string;
  /** The same key and body return the same job, so a retried submit never runs twice. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface WaitOptions {
  /** Called with the job each time its counts or status change, and once at the start. */
  readonly onProgress?: (job: Job) => void;
  /** First interval between polls (250 ms); it grows to `maxIntervalMs` (2 s) while nothing changes. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface DownloadedFile {
  /** The item's index, or `null` for the joined file. */
  readonly index: number | null;
  readonly customId: string | null;
  readonly path: string;
  readonly bytes: number;
}

export interface JobsClient {
  submit(options: SubmitJobOptions): Promise<Job>;
  get(id: string, options?: { readonly signal?: AbortSignal }): Promise<Job>;
  /** Polls until the job is completed, failed or cancelled, and resolves with it then. */
  wait(id: string, options?: WaitOptions): Promise<Job>;
  cancel(id: string): Promise<Job>;
  /** Deletes the job and its audio. */
  delete(id: string): Promise<Job>;
  /**
   * Writes every completed item's audio into `directory` (made if missing), each file
   * atomically, named by its `custom_id` (else its index) with the format's extension; and
   * the joined file as `joined.<ext>` when the job concatenated.
   */
  download(job: Job | string, directory: string, options?: { readonly signal?: AbortSignal }): Promise<DownloadedFile[]>;
}

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** Only the fields this client reads are checked; the rest passes through as the server sent it. */
const audioSchema = z.looseObject({ url: z.string(), content_type: z.string(), bytes: z.number() }).nullable();
const jobSchema = z.looseObject({
  id: z.string(),
  object: z.literal('speech.job'),
  status: z.enum(['queued', 'in_progress', 'completed', 'failed', 'cancelled']),
  request_counts: z.looseObject({ total: z.number(), completed: z.number(), failed: z.number(), cancelled: z.number() }),
  items: z.array(z.looseObject({ index: z.number(), custom_id: z.string().nullable(), status: z.string(), audio: audioSchema })),
  usage: z.looseObject({ characters: z.number(), cost_usd: z.number() }),
  concatenated_audio: audioSchema.optional(),
});

async function jobOf(response: Response): Promise<Job> {
  return jobSchema.parse(await response.json()) as unknown as Job;
}

/**
 * The job API of a running tts-gateway, from code:
 *
 * ```ts
 * const jobs = createJobsClient({ baseUrl: 'http://127.0.0.1:4000', apiKey: process.env.MASTER_KEY });
 * const job = await jobs.submit({ model: 'tts-1', voice: 'alloy', items: ['One.', 'Two.'] });
 * const done = await jobs.wait(job.id, { onProgress: (job) => console.log(job.request_counts) });
 * await jobs.download(done, 'out');
 * ```
 */
export function createJobsClient(options: GatewayClientOptions): JobsClient {
  const call = createHttpClient(options);
  const path = (id: string): string => `/v1/audio/speech/jobs/${encodeURIComponent(id)}`;
  const get = async (id: string, signal?: AbortSignal): Promise<Job> => jobOf(await call({ method: 'GET', path: path(id), signal }));
  const fetchAudio = options.fetch ?? globalThis.fetch;

  return {
    async submit(submit) {
      const body = {
        model: submit.model,
        items: submit.items.map((item) =>
          typeof item === 'string'
            ? { input: item }
            : {
                input: item.input,
                custom_id: item.customId,
                voice: item.voice,
                response_format: item.responseFormat,
                speed: item.speed,
                instructions: item.instructions,
              },
        ),
        voice: submit.voice,
        response_format: submit.responseFormat,
        speed: submit.speed,
        instructions: submit.instructions,
        concatenate: submit.concatenate,
        webhook: submit.webhook,
        metadata: submit.metadata,
        user: submit.user,
      };
      const response = await call({
        method: 'POST',
        path: '/v1/audio/speech/jobs',
        body,
        signal: submit.signal,
        ...(submit.idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': submit.idempotencyKey } }),
      });
      return jobOf(response);
    },
    get: (id, getOptions) => get(id, getOptions?.signal),
    async wait(id, waitOptions = {}) {
      const first = waitOptions.intervalMs ?? 250;
      const longest = Math.max(first, waitOptions.maxIntervalMs ?? 2000);
      let interval = first;
      let seen = '';
      for (;;) {
        const job = await get(id, waitOptions.signal);
        const progress = JSON.stringify([job.status, job.request_counts]);
        if (progress !== seen) {
          seen = progress;
          interval = first;
          waitOptions.onProgress?.(job);
        } else {
          interval = Math.min(longest, Math.round(interval * 1.5));
        }
        if (TERMINAL.has(job.status)) return job;
        await delay(interval, waitOptions.signal);
      }
    },
    cancel: async (id) => jobOf(await call({ method: 'POST', path: `${path(id)}/cancel` })),
    delete: async (id) => jobOf(await call({ method: 'DELETE', path: path(id) })),
    async download(jobOrId, directory, downloadOptions = {}) {
      const job = typeof jobOrId === 'string' ? await get(jobOrId, downloadOptions.signal) : jobOrId;
      await mkdir(directory, { recursive: true });
      const width = String(job.items.length - 1).length;
      const files: DownloadedFile[] = [];
      for (const item of job.items) {
        if (item.status !== 'completed' || item.audio === null) continue;
        const name = `${fileStem(item.custom_id) ?? String(item.index).padStart(width, '0')}.${extensionOf(item.audio.content_type)}`;
        const response = await call({ method: 'GET', path: `${path(job.id)}/items/${item.index}/audio`, signal: downloadOptions.signal });
        const written = await writeFileAtomically(join(directory, name), bodyChunks(response));
        files.push({ index: item.index, customId: item.custom_id, path: written.path, bytes: written.bytes });
      }
      const joined = job.concatenated_audio;
      if (joined !== null && joined !== undefined) {
        // The joined file's URL is signed (or presigned): it needs no key.
        const response = await fetchAudio(joined.url, downloadOptions.signal === undefined ? {} : { signal: downloadOptions.signal });
        if (!response.ok) throw new Error(`the joined audio could not be downloaded: HTTP ${response.status}`);
        const written = await writeFileAtomically(join(directory, `joined.${extensionOf(joined.content_type)}`), bodyChunks(response));
        files.push({ index: null, customId: null, path: written.path, bytes: written.bytes });
      }
      return files;
    },
  };
}

/** A custom id as a file name: nothing that could leave the directory or hide the file. */
function fileStem(customId: string | null): string | undefined {
  if (customId === null) return undefined;
  const stem = customId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return stem === '' ? undefined : stem;
}

function extensionOf(contentType: string): string {
  const bare = contentType.split(';')[0]?.trim();
  return RESPONSE_FORMATS.find((format) => contentTypeOf(format) === bare) ?? 'bin';
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
