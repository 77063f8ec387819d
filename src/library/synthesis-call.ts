import { randomUUID } from 'node:crypto';
import type { ResponseFormat } from '../audio/formats.js';
import type { Synthesize } from '../core/synthesize.js';
import { speechRequestSchema } from '../api/schemas/speech-request.js';
import { validateBody } from '../api/schemas/validate.js';
import { ApiError } from '../domain/errors.js';
import { abortReason, toLibraryError } from './errors.js';
import { responseOfSynthesis, type SpeechResponse } from './speech-response.js';

/** What to say, and how: the fields of OpenAI's speech request, in JavaScript's spelling. */
export interface SpeechRequestOptions {
  readonly input: string;
  /** An OpenAI voice name (mapped on every provider) or a provider-native voice id. */
  readonly voice: string;
  /** `mp3` by default. */
  readonly responseFormat?: ResponseFormat;
  /** 0.25 to 4; where a provider's range is narrower it is clamped, with a warning. */
  readonly speed?: number;
  readonly instructions?: string;
  /** End-user id, as OpenAI's `user`. */
  readonly user?: string;
  /** Aborts the call, and the audio while it streams (the upstream call and any child process stop). */
  readonly signal?: AbortSignal;
}

/** The request's fields in the HTTP API's spelling, so the API's own schema checks them. */
const PARAMETER_NAMES: Readonly<Record<string, string>> = { response_format: 'responseFormat' };

/**
 * Runs one synthesis through the shared `synthesize`, with the HTTP endpoint's validation,
 * and returns its audio as a `SpeechResponse`.
 */
export async function synthesizeSpeech(
  synthesize: Synthesize,
  model: string,
  options: SpeechRequestOptions,
  fallbacks?: readonly string[],
): Promise<SpeechResponse> {
  let body: ReturnType<typeof speechRequestSchema.parse>;
  try {
    body = validateBody(speechRequestSchema, {
      model,
      input: options.input,
      voice: options.voice,
      response_format: options.responseFormat,
      speed: options.speed,
      instructions: options.instructions,
      user: options.user,
      fallbacks,
    });
  } catch (error) {
    throw toLibraryError(error instanceof ApiError ? renameParameter(error) : error);
  }
  const controller = new AbortController();
  const signal = options.signal;
  if (signal?.aborted === true) throw abortReason(signal);
  signal?.addEventListener('abort', () => controller.abort(abortReason(signal)), { once: true });
  try {
    const synthesis = await synthesize({
      model: body.model,
      input: body.input,
      ...(body.voice === undefined ? {} : { voice: body.voice }),
      format: body.response_format,
      speed: body.speed,
      signal: controller.signal,
      context: { requestId: randomUUID(), source: 'sync', keyId: 'library', ...(body.user === undefined ? {} : { endUser: body.user }) },
      ...(body.instructions === undefined ? {} : { instructions: body.instructions }),
      ...(body.fallbacks === undefined ? {} : { fallbacks: body.fallbacks }),
    });
    return responseOfSynthesis(synthesis, controller);
  } catch (error) {
    throw toLibraryError(error, controller.signal);
  }
}

function renameParameter(error: ApiError): ApiError {
  const param = error.param === null ? null : (PARAMETER_NAMES[error.param] ?? error.param);
  if (param === error.param) return error;
  return new ApiError({
    status: error.status,
    type: error.type,
    code: error.code,
    param,
    message: error.message.replace(`'${error.param}'`, `'${param}'`),
  });
}
