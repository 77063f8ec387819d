import express, { type Express, type Router as ExpressRouter } from 'express';
import type { Logger } from 'pino';
import type { ModelCatalog } from '../domain/catalog.js';
import { notFound } from '../domain/errors.js';
import type { Synthesize } from '../core/synthesize.js';
import type { Authenticator, Admission } from '../domain/principal.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestId } from './middleware/request-id.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { speechRoutes } from './routes/speech.js';

export interface AppDependencies {
  readonly catalog: ModelCatalog;
  readonly synthesize: Synthesize;
  readonly authenticator: Authenticator;
  readonly admission: Admission;
  readonly logger: Logger;
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly maxRequestBytes: number;
  readonly now: () => number;
  /** Further endpoints (keys, spend, metrics, jobs), mounted before the 404 handler. */
  readonly extraRoutes?: readonly ExpressRouter[];
}

/** Builds the HTTP application; the entry point decides where it listens. */
export function createApp(dependencies: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  // Every body is read as JSON whatever its content type: curl's default form type included.
  app.use(express.json({ limit: dependencies.maxRequestBytes, type: () => true, strict: true }));
  app.use(healthRoutes(dependencies.readinessChecks));
  app.use(modelRoutes(dependencies.catalog, dependencies.authenticator, dependencies.now()));
  app.use(speechRoutes(dependencies));
  for (const routes of dependencies.extraRoutes ?? []) app.use(routes);
  app.use((request, _response, next) => {
    next(notFound(`Unknown route: ${request.method} ${request.path}`, 'route_not_found'));
  });
  app.use(errorHandler(dependencies.logger));
  return app;
}
