import { Router as ExpressRouter } from 'express';
import type { ModelCatalog } from '../../domain/catalog.js';
import { notFound } from '../../domain/errors.js';
import { describeModelGroup } from '../../domain/model-capabilities.js';
import { authenticate, principalOf, type Authenticator } from '../middleware/authenticate.js';

/**
 * `GET /v1/models/{model}/capabilities`: what a model group can be asked for, so a client
 * (the console's playground among them) offers only settings that mean something. A group
 * takes instructions when one of its deployments does.
 */
export function modelCapabilityRoutes(catalog: ModelCatalog, authenticator: Authenticator): ExpressRouter {
  const router = ExpressRouter();
  router.get('/v1/models/:model/capabilities', authenticate(authenticator), (request, response) => {
    const name = String(request.params['model']);
    const principal = principalOf(response);
    const allowed = principal.allowedModels === undefined || principal.allowedModels.length === 0 || principal.allowedModels.includes(name);
    const group = allowed ? catalog.group(name) : undefined;
    if (group === undefined || group.length === 0)
      throw notFound(`The model '${name}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
    response.json(describeModelGroup(name, group));
  });
  return router;
}
