import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type Express, type Router as ExpressRouter } from 'express';
import type { Logger } from 'pino';
import { notFound } from '../domain/errors.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestId } from './middleware/request-id.js';
import type { FrontHandler } from './lean-speech-route.js';

export interface AppDependencies {
  readonly logger: Logger;
  readonly maxRequestBytes: number;
  /** Every endpoint, in the order they are matched; the composition root decides which. */
  readonly routes: readonly ExpressRouter[];
  /** Sees every request before Express and may serve it (the lean speech route); Express gets the rest. */
  readonly front?: FrontHandler;
}

/** Builds the HTTP application; the entry point decides where it listens. */
export function createApp(dependencies: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  // Every body is read as JSON whatever its content type: curl's default form type included.
  app.use(express.json({ limit: dependencies.maxRequestBytes, type: () => true, strict: true }));
  for (const routes of dependencies.routes) app.use(routes);
  app.use((request, _response, next) => {
    next(notFound(`Unknown route: ${request.method} ${request.path}`, 'route_not_found'));
  });
  app.use(errorHandler(dependencies.logger));
  return dependencies.front === undefined ? app : withFront(app, dependencies.front);
}

/**
 * The app's own server (`app.listen`) sends each request through `front` first, and to
 * Express when `front` passes it on; as a function the app stays plain Express.
 */
function withFront(app: Express, front: FrontHandler): Express {
  const serve = (request: IncomingMessage, response: ServerResponse): void => front(request, response, () => app(request, response));
  const listen = (...args: unknown[]): Server => {
    const server = createServer(serve);
    return server.listen(...(args as Parameters<Server['listen']>));
  };
  return Object.assign(app, { listen: listen as Express['listen'] });
}
