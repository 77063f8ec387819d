import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Authenticator } from '../domain/principal.js';
import { isPlainBody, readJsonBody } from './http/read-json-body.js';
import { bearerToken } from './middleware/authenticate.js';
import { answerFailure } from './middleware/error-handler.js';
import { chooseRequestId } from './middleware/request-id.js';
import { SPEECH_PATHS, type SpeechHandler } from './routes/speech.js';

export interface LeanSpeechRouteDependencies {
  readonly handle: SpeechHandler;
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly maxRequestBytes: number;
}

/** A Node request handler that may pass the request on. */
export type FrontHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** Express matches paths without regard to case or one trailing slash. */
const SPEECH_PATH_SET: ReadonlySet<string> = new Set(SPEECH_PATHS.flatMap((path) => [path, `${path}/`]));

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/**
 * `POST /v1/audio/speech` without Express: at thousands of calls a second its middleware chain,
 * router and body parser cost more than the rest of the request. Every step is the one the
 * Express app takes, in the same order and from the same modules: the request id, the JSON body
 * (same limit, same errors), the key, then the shared speech handler, with failures answered by
 * the same envelope and log line. Anything else, and bodies that need decoding (compressed,
 * another charset), goes to Express.
 */
export function leanSpeechRoute(dependencies: LeanSpeechRouteDependencies): FrontHandler {
  const { handle, authenticator, logger, maxRequestBytes } = dependencies;
  return (request, response, next) => {
    if (request.method !== 'POST') return next();
    const path = pathOf(request.url);
    if (!SPEECH_PATH_SET.has(path.toLowerCase()) || !isPlainBody(request)) return next();
    const requestId = chooseRequestId(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    void (async () => {
      try {
        const body = await readJsonBody(request, maxRequestBytes);
        const principal = await authenticator.authenticate(bearerToken(request.headers));
        await handle(request, response, body, requestId, principal);
      } catch (error) {
        answerFailure(logger, error, { path, requestId }, response);
      }
    })();
  };
}
