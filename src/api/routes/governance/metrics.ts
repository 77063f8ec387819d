import { Router as ExpressRouter, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { authenticate } from '../../middleware/authenticate.js';
import type { Authenticator } from '../../../domain/principal.js';

/** `GET /metrics` in Prometheus' text format; open unless `require_auth_for_metrics_endpoint`. */
export function metricsRoutes(registry: Registry, authenticator: Authenticator | undefined): ExpressRouter {
  const router = ExpressRouter();
  const guards: RequestHandler[] = authenticator === undefined ? [] : [authenticate(authenticator)];
  router.get('/metrics', ...guards, async (_request, response) => {
    const text = await registry.metrics();
    response.setHeader('content-type', registry.contentType);
    response.send(text);
  });
  return router;
}
