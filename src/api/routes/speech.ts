import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router as ExpressRouter, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Synthesis, Synthesize } from '../../core/synthesize.js';
import { describeWarning } from '../../providers/spec/warnings.js';
import { describeAttempts } from '../../router/attempts.js';
import { authenticate, principalOf } from '../middleware/authenticate.js';
import { type Authenticator, assertModelAllowed, type Admission, type Principal } from '../../domain/principal.js';
import { toEnvelope } from '../middleware/error-handler.js';
import { requestIdOf } from '../middleware/request-id.js';
import { cacheControlOf } from '../cache-control.js';
import { speechRequestSchema } from '../schemas/speech-request.js';
import { validateBody } from '../schemas/validate.js';
import { sendAudioStream, speechSseEvents } from '../send-audio.js';

export interface SpeechRouteDependencies {
  readonly synthesize: Synthesize;
  readonly authenticator: Authenticator;
  readonly admission: Admission;
  readonly logger: Logger;
}

/** The paths of OpenAI's synchronous speech (and LiteLLM's alias without the version). */
export const SPEECH_PATHS = ['/v1/audio/speech', '/audio/speech'] as const;

/** Serves one authenticated speech request whose body has been read (by Express or the lean route). */
export type SpeechHandler = (request: IncomingMessage, response: ServerResponse, body: unknown, requestId: string, principal: Principal) => Promise<void>;

/** `POST /v1/audio/speech` through Express, for the requests the lean route leaves to it (compressed or non-UTF-8 bodies). */
export function speechRoutes(dependencies: SpeechRouteDependencies, handle: SpeechHandler = createSpeechHandler(dependencies)): ExpressRouter {
  const router = ExpressRouter();
  router.post([...SPEECH_PATHS], authenticate(dependencies.authenticator), async (request: Request, response: Response) => {
    await handle(request, response, request.body, requestIdOf(response.locals), principalOf(response));
  });
  return router;
}

/** OpenAI's synchronous speech, streamed as it is produced. */
export function createSpeechHandler(dependencies: SpeechRouteDependencies): SpeechHandler {
  const { logger } = dependencies;
  return async (request, response, rawBody, requestId, principal) => {
    const received = performance.now();
    const body = validateBody(speechRequestSchema, rawBody);
    await dependencies.admission.admit(principal, body.model, body.input.length);
    // A client fallback is a model the key must be allowed to use, like the one it named first.
    for (const fallback of body.fallbacks ?? []) assertModelAllowed(principal, fallback);
    const endUser = body.user ?? headerOf(request, 'x-end-user-id');
    const cacheControl = cacheControlOf(body.cache, headerOf(request, 'cache-control'));

    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort(new Error('client disconnected'));
    });
    const started = performance.now();
    const synthesis = await dependencies.synthesize({
      model: body.model,
      input: body.input,
      ...(body.voice === undefined ? {} : { voice: body.voice }),
      format: body.response_format,
      speed: body.speed,
      signal: controller.signal,
      context: { requestId, source: 'sync', keyId: principal.keyId, ...(endUser === undefined ? {} : { endUser }) },
      ...(body.instructions === undefined ? {} : { instructions: body.instructions }),
      ...(body.fallbacks === undefined ? {} : { fallbacks: body.fallbacks }),
      ...(cacheControl === undefined ? {} : { cache: cacheControl }),
    });
    setSynthesisHeaders(response, synthesis);
    setLitellmHeaders(response, synthesis, requestId, performance.now() - received);
    try {
      response.statusCode = 200;
      if (body.stream_format === 'sse') {
        response.setHeader('content-type', 'text/event-stream; charset=utf-8');
        response.setHeader('cache-control', 'no-cache');
        const tokens = Math.ceil(synthesis.characters / 4);
        // Audio is not tokenised here; usage reports the text side, which is what is billed per character.
        const usage = { input_tokens: tokens, output_tokens: 0, total_tokens: tokens };
        await sendAudioStream(response, textChunks(speechSseEvents(synthesis.audio, usage, describeStreamError)));
      } else {
        response.setHeader('content-type', synthesis.contentType);
        await sendAudioStream(response, synthesis.audio);
      }
      logger.info(
        {
          requestId,
          model: body.model,
          deployment: synthesis.deployment.id,
          characters: synthesis.characters,
          user: endUser,
          cache: synthesis.cache?.status,
          upstreamRequestId: upstreamRequestIdOfSynthesis(synthesis),
          ms: Math.round(performance.now() - started),
        },
        'speech served',
      );
    } catch (error) {
      if (controller.signal.aborted) {
        logger.info({ requestId, model: body.model, deployment: synthesis.deployment.id }, 'client disconnected during speech');
        return;
      }
      // The status is long sent; the pipeline has already cut the connection so the client sees a failure.
      logger.error({ requestId, err: error, model: body.model, deployment: synthesis.deployment.id }, 'speech stream failed after the first byte');
    }
  };
}

/** A request header as Express's `request.get` reads it. */
function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function setSynthesisHeaders(response: ServerResponse, synthesis: Synthesis): void {
  response.setHeader('x-tts-deployment', synthesis.deployment.id);
  response.setHeader('x-tts-provider', synthesis.deployment.provider);
  response.setHeader('x-tts-attempts', String(synthesis.attempts.length));
  response.setHeader('x-tts-attempt-log', describeAttempts(synthesis.attempts));
  response.setHeader('x-tts-cost-usd', String(synthesis.costUsd));
  response.setHeader('x-tts-characters', String(synthesis.characters));
  const upstreamRequestId = upstreamRequestIdOfSynthesis(synthesis);
  // The provider's own id for the call that served the audio, to quote to its support.
  if (upstreamRequestId !== undefined) response.setHeader('x-tts-upstream-request-id', upstreamRequestId);
  if (synthesis.cache !== undefined) {
    response.setHeader('x-tts-cache', synthesis.cache.status);
    // LiteLLM names the entry on hits, so a client can delete it (`POST /cache/delete`).
    if (synthesis.cache.key !== undefined) response.setHeader('x-litellm-cache-key', synthesis.cache.key);
  }
  if (synthesis.warnings.length > 0) {
    response.setHeader('x-tts-warnings', synthesis.warnings.map((warning) => headerSafe(describeWarning(warning))).join('; '));
  }
}

/**
 * LiteLLM's proxy response headers (litellm/proxy/common_request_processing.py,
 * `get_custom_headers`), beside the gateway's own, so clients and dashboards built on them keep
 * working. The duration runs from the request's arrival to the first audio, as LiteLLM's does
 * for a streamed answer; retries are the serving group's attempts after its first, fallbacks
 * the groups tried before it.
 */
function setLitellmHeaders(response: ServerResponse, synthesis: Synthesis, callId: string, durationMs: number): void {
  const groups = [...new Set(synthesis.attempts.map((attempt) => attempt.modelName))];
  const servedBy = synthesis.attempts.filter((attempt) => attempt.modelName === synthesis.deployment.modelName).length;
  response.setHeader('x-litellm-call-id', callId);
  response.setHeader('x-litellm-model-id', synthesis.deployment.id);
  response.setHeader('x-litellm-model-group', synthesis.deployment.modelName);
  response.setHeader('x-litellm-response-cost', String(synthesis.costUsd));
  response.setHeader('x-litellm-response-duration-ms', String(Math.round(durationMs * 1000) / 1000));
  response.setHeader('x-litellm-attempted-retries', String(Math.max(0, servedBy - 1)));
  response.setHeader('x-litellm-attempted-fallbacks', String(Math.max(0, groups.length - 1)));
  const apiBase = synthesis.deployment.params.api_base;
  if (apiBase !== undefined) response.setHeader('x-litellm-model-api-base', apiBase);
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function describeStreamError(error: unknown): { message: string; type: ReturnType<typeof toEnvelope>['type']; code: string | null } {
  const envelope = toEnvelope(error);
  return { message: envelope.status === 500 ? 'the audio stream failed' : envelope.message, type: envelope.type, code: envelope.code };
}

async function* textChunks(events: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const text of events) yield Buffer.from(text, 'utf8');
}

/** The serving attempt is the last one; a cache hit has none. */
function upstreamRequestIdOfSynthesis(synthesis: Synthesis): string | undefined {
  return synthesis.attempts.at(-1)?.upstreamRequestId;
}
