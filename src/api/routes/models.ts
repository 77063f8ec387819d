import { Router as ExpressRouter } from 'express';
import type { ModelCatalog } from '../../domain/catalog.js';
import { notFound } from '../../domain/errors.js';
import { authenticate, principalOf } from '../middleware/authenticate.js';
import type { Authenticator, Principal } from '../../domain/principal.js';

/** `GET /v1/models`: the model groups this caller may use, in OpenAI's list shape. */
export function modelRoutes(catalog: ModelCatalog, authenticator: Authenticator, startedAt: number): ExpressRouter {
  const router = ExpressRouter();
  const created = Math.floor(startedAt / 1000);
  // LiteLLM lists an alias beside the groups unless it is `hidden`.
  const listed = [...catalog.modelNames, ...catalog.aliases.filter((alias) => !alias.hidden).map((alias) => alias.name)];
  const visible = (principal: Principal): string[] =>
    [...new Set(listed)].filter(
      (name) => principal.allowedModels === undefined || principal.allowedModels.length === 0 || principal.allowedModels.includes(name),
    );
  const describe = (name: string) => ({ id: name, object: 'model', created, owned_by: 'tts-gateway' });

  router.get(['/v1/models', '/models'], authenticate(authenticator), (_request, response) => {
    response.json({ object: 'list', data: visible(principalOf(response)).map(describe) });
  });
  router.get(['/v1/models/:model', '/models/:model'], authenticate(authenticator), (request, response) => {
    const param = request.params['model'];
    const name = typeof param === 'string' ? param : '';
    if (!visible(principalOf(response)).includes(name)) {
      throw notFound(`The model '${name}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
    }
    response.json(describe(name));
  });
  return router;
}
