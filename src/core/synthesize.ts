import { contentTypeOf, type ResponseFormat } from '../audio/formats.js';
import type { Transcoder } from '../audio/transcode.js';
import type { SpeechWarning } from '../providers/spec/warnings.js';
import type { AttemptRecord } from '../router/attempts.js';
import type { Router } from '../router/router.js';
import type { Deployment, ModelCatalog } from './catalog.js';
import { costOf } from './cost.js';
import { invalidRequest, notFound } from './errors.js';
import { primeStream } from './prime-stream.js';

export interface SynthesisCommand {
  /** A model group (`model_name`). */
  readonly model: string;
  readonly input: string;
  readonly voice: string;
  readonly format: ResponseFormat;
  readonly speed: number;
  readonly instructions?: string;
  readonly signal: AbortSignal;
}

export interface Synthesis {
  /** The audio in the requested format; its first chunk already exists. Consume once. */
  readonly audio: AsyncIterable<Uint8Array>;
  readonly format: ResponseFormat;
  readonly contentType: string;
  readonly deployment: Deployment;
  readonly attempts: readonly AttemptRecord[];
  readonly warnings: readonly SpeechWarning[];
  readonly characters: number;
  readonly costUsd: number;
}

export type Synthesize = (command: SynthesisCommand) => Promise<Synthesis>;

export interface SynthesizeDependencies {
  readonly catalog: ModelCatalog;
  readonly router: Router;
  readonly transcoder: Transcoder;
}

/**
 * The one synthesis use-case, shared by the sync endpoint and the job worker: route to a
 * deployment, call it, convert to the requested format, and hold back until the first
 * audio byte exists so that everything before it can still be retried or reported.
 */
export function createSynthesize(dependencies: SynthesizeDependencies): Synthesize {
  const { catalog, router, transcoder } = dependencies;
  return async (command) => {
    const group = catalog.group(command.model);
    if (group === undefined) {
      throw notFound(`The model '${command.model}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
    }
    const characters = command.input.length;
    const limit = Math.max(...group.map((deployment) => deployment.maxInputCharacters));
    if (characters > limit) {
      throw invalidRequest(`input is ${characters} characters long; the model '${command.model}' accepts at most ${limit}`, 'input', 'input_too_long');
    }
    const routed = await router.route({ modelName: command.model, inputCharacters: characters, signal: command.signal }, async (deployment, signal) => {
      const result = await deployment.adapter.synthesize({
        model: deployment.model,
        input: command.input,
        voice: command.voice,
        format: command.format,
        speed: command.speed,
        signal,
        ...(command.instructions === undefined ? {} : { instructions: command.instructions }),
      });
      const audio = await primeStream(transcoder.convert(result.audio, result.encoding, command.format, signal));
      return { audio, warnings: result.warnings };
    });
    return {
      audio: routed.value.audio,
      format: command.format,
      contentType: contentTypeOf(command.format),
      deployment: routed.deployment,
      attempts: routed.attempts,
      warnings: routed.value.warnings,
      characters,
      costUsd: costOf(routed.deployment, characters),
    };
  };
}
