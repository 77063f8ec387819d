import express, { type Express, type Router as ExpressRouter } from 'express';
import type { Logger } from 'pino';
import { notFound } from '../domain/errors.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestId } from './middleware/request-id.js';

export interface AppDependencies {
  readonly logger: Logger;
  readonly maxRequestBytes: number;
  /** Every endpoint, in the order they are matched; the composition root decides which. */
  readonly routes: readonly ExpressRouter[];
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
  return app;
}
