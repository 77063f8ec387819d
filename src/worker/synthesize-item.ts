import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chunkText } from '../text/chunk-text.js';
import { concatenateAudio, concatenatePcmFiles, pcmDurationSeconds } from '../audio/concatenate.js';
import { contentTypeOf, type ResponseFormat } from '../audio/formats.js';
import type { Transcoder } from '../audio/transcode.js';
import type { ModelCatalog } from '../domain/catalog.js';
import type { SynthesisContext } from '../core/synthesis-context.js';
import type { Synthesize } from '../core/synthesize.js';
import type { ItemSpec, StoredAudio } from '../jobs/job-records.js';
import type { ObjectStore } from '../storage/object-store.js';
import { itemAudioKey } from '../storage/keys.js';
import { measureDuration } from './measure-duration.js';

export interface ItemSynthesisDependencies {
  readonly synthesize: Synthesize;
  readonly catalog: ModelCatalog;
  readonly transcoder: Transcoder;
  readonly store: ObjectStore;
  readonly chunkParallelism: number;
}

export interface ItemWork {
  readonly jobId: string;
  readonly index: number;
  readonly model: string;
  readonly spec: ItemSpec;
  readonly context: SynthesisContext;
  readonly signal: AbortSignal;
}

export interface ItemResult {
  readonly audio: StoredAudio;
  readonly characters: number;
  readonly costUsd: number;
  readonly deployment: string;
  readonly provider: string;
  readonly pieces: number;
}

/**
 * One item, start to stored file. Text within the model's limit is one synthesis streamed
 * straight to storage. Longer text is cut at sentence boundaries, the pieces synthesized
 * (several at once) as pcm into temporary files, and the pcm joined and encoded once.
 */
export async function synthesizeItem(dependencies: ItemSynthesisDependencies, work: ItemWork): Promise<ItemResult> {
  const { spec } = work;
  const key = itemAudioKey(work.jobId, work.index, spec.format);
  const limit = pieceLimit(dependencies.catalog, work.model);
  if (spec.input.length <= limit) {
    const synthesis = await dependencies.synthesize({ ...commandOf(work, spec.input, spec.format), signal: work.signal });
    const measured = measureDuration(synthesis.audio, spec.format, dependencies.transcoder, work.signal);
    const stored = await dependencies.store.put(key, measured.audio, { contentType: synthesis.contentType });
    return {
      audio: { key, contentType: synthesis.contentType, bytes: stored.bytes, durationSeconds: await measured.durationSeconds() },
      characters: synthesis.characters,
      costUsd: synthesis.costUsd,
      deployment: synthesis.deployment.id,
      provider: synthesis.deployment.provider,
      pieces: 1,
    };
  }
  const pieces = chunkText(spec.input, limit);
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-item-'));
  const controller = new AbortController();
  const abort = (): void => controller.abort(work.signal.reason);
  work.signal.addEventListener('abort', abort, { once: true });
  try {
    const outcomes = await inParallel(pieces, dependencies.chunkParallelism, async (piece, index) => {
      const synthesis = await dependencies.synthesize({ ...commandOf(work, piece, 'pcm'), signal: controller.signal });
      const path = join(directory, `${String(index).padStart(6, '0')}.pcm`);
      let bytes = 0;
      await pipeline(
        Readable.from(
          (async function* () {
            for await (const chunk of synthesis.audio) {
              bytes += chunk.length;
              yield chunk;
            }
          })(),
        ),
        createWriteStream(path),
      );
      return {
        path,
        bytes,
        characters: synthesis.characters,
        costUsd: synthesis.costUsd,
        deployment: synthesis.deployment.id,
        provider: synthesis.deployment.provider,
      };
    }).catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
    async function* parts(): AsyncGenerator<AsyncIterable<Uint8Array>> {
      yield concatenatePcmFiles(outcomes.map((outcome) => outcome.path));
    }
    const contentType = contentTypeOf(spec.format);
    // Measured on the encoded file, not the pcm: mp3 and AAC encoders pad the end by tens of milliseconds.
    const measured = measureDuration(
      concatenateAudio(parts(), spec.format, dependencies.transcoder, controller.signal),
      spec.format,
      dependencies.transcoder,
      controller.signal,
    );
    const stored = await dependencies.store.put(key, measured.audio, { contentType });
    const pcmBytes = outcomes.reduce((sum, outcome) => sum + outcome.bytes, 0);
    return {
      audio: { key, contentType, bytes: stored.bytes, durationSeconds: (await measured.durationSeconds()) ?? pcmDurationSeconds(pcmBytes) },
      characters: outcomes.reduce((sum, outcome) => sum + outcome.characters, 0),
      costUsd: Math.round(outcomes.reduce((sum, outcome) => sum + outcome.costUsd, 0) * 1e10) / 1e10,
      deployment: unique(outcomes.map((outcome) => outcome.deployment)),
      provider: unique(outcomes.map((outcome) => outcome.provider)),
      pieces: pieces.length,
    };
  } finally {
    work.signal.removeEventListener('abort', abort);
    await rm(directory, { recursive: true, force: true });
  }
}

function commandOf(work: ItemWork, input: string, format: ResponseFormat) {
  return {
    model: work.model,
    input,
    voice: work.spec.voice,
    format,
    speed: work.spec.speed,
    context: work.context,
    ...(work.spec.instructions === undefined ? {} : { instructions: work.spec.instructions }),
  };
}

/** Pieces must fit every deployment of the group, so fallbacks stay possible for each. */
function pieceLimit(catalog: ModelCatalog, model: string): number {
  const group = catalog.group(model) ?? [];
  return group.length === 0 ? Infinity : Math.min(...group.map((deployment) => deployment.maxInputCharacters));
}

function unique(values: readonly string[]): string {
  return [...new Set(values)].join(',');
}

async function inParallel<T, R>(values: readonly T[], limit: number, work: (value: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(values.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, values.length) }, async () => {
    while (next < values.length) {
      const index = next;
      next += 1;
      results[index] = await work(values[index] as T, index);
    }
  });
  await Promise.all(runners);
  return results;
}
