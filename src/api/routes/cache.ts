import { Router as ExpressRouter } from 'express';
import { z } from 'zod';
import { authenticate, type Authenticator } from '../middleware/authenticate.js';
import { validateBody } from '../schemas/validate.js';
import { requireMaster } from './governance/admin.js';

/** What the cache endpoints need from the speech cache. */
export interface CacheAdministration {
  clear(): Promise<number>;
  delete(keys: readonly string[]): Promise<number>;
}

/** LiteLLM's `POST /cache/delete` body. */
const deleteSchema = z.strictObject({ keys: z.array(z.string().min(1).max(512)).min(1, 'must name at least one key').max(1000) });

/**
 * Evicting cached speech, master key only: `DELETE /cache` removes everything, `DELETE
 * /cache/{key}` one entry, and LiteLLM's `POST /cache/delete {"keys": [...]}` several (the
 * keys are the `x-litellm-cache-key` values of hits). Audio goes with its index entry.
 */
export function cacheRoutes(cache: CacheAdministration, authenticator: Authenticator): ExpressRouter {
  const router = ExpressRouter();
  const guard = authenticate(authenticator);
  router.delete('/cache', guard, async (_request, response) => {
    requireMaster(response);
    const deleted = await cache.clear();
    response.json({ status: 'success', deleted });
  });
  router.delete('/cache/:key', guard, async (request, response) => {
    requireMaster(response);
    const deleted = await cache.delete([String(request.params['key'])]);
    response.json({ status: 'success', deleted });
  });
  router.post('/cache/delete', guard, async (request, response) => {
    requireMaster(response);
    const body = validateBody(deleteSchema, request.body);
    const deleted = await cache.delete(body.keys);
    response.json({ status: 'success', deleted });
  });
  return router;
}
