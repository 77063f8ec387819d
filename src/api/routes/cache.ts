import { Router as ExpressRouter } from 'express';
import { z } from 'zod';
import { ApiError } from '../../domain/errors.js';
import { authenticate } from '../middleware/authenticate.js';
import type { Authenticator } from '../../domain/principal.js';
import { validateBody } from '../schemas/validate.js';
import { requireMaster } from './governance/admin.js';

/** What the cache endpoints need from the speech cache. */
export interface CacheAdministration {
  clear(): Promise<number>;
  delete(keys: readonly string[]): Promise<number>;
  ping(): Promise<{ readonly storedBytes: number }>;
  readonly description: { readonly type: string; readonly namespace: string | null; readonly ttl: number | null; readonly mode: string };
}

/** LiteLLM's `POST /cache/delete` body. */
const deleteSchema = z.strictObject({ keys: z.array(z.string().min(1).max(512)).min(1, 'must name at least one key').max(1000) });

/**
 * Evicting cached speech, master key only: `DELETE /cache` removes everything, `DELETE
 * /cache/{key}` one entry, and LiteLLM's `POST /cache/delete {"keys": [...]}` several (the
 * keys are the `x-litellm-cache-key` values of hits). Audio goes with its index entry.
 * `GET /cache/ping` checks the index and the store, as LiteLLM's does.
 */
export function cacheRoutes(cache: CacheAdministration, authenticator: Authenticator): ExpressRouter {
  const router = ExpressRouter();
  const guard = authenticate(authenticator);
  // LiteLLM's health check of its cache, for any key.
  router.get('/cache/ping', guard, async (_request, response) => {
    const { description } = cache;
    try {
      const { storedBytes } = await cache.ping();
      response.json({
        status: 'healthy',
        cache_type: description.type,
        ping_response: true,
        set_cache_response: 'success',
        litellm_cache_params: {
          type: description.type,
          namespace: description.namespace,
          ttl: description.ttl,
          mode: description.mode,
          supported_call_types: ['speech', 'aspeech'],
        },
        stored_bytes: storedBytes,
      });
    } catch (error) {
      throw new ApiError({
        status: 503,
        type: 'server_error',
        code: 'cache_unhealthy',
        message: 'Service Unhealthy: the speech cache failed its check of Redis or storage.',
        cause: error,
      });
    }
  });
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
