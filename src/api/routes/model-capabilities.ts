import { Router as ExpressRouter } from 'express';
import { RESPONSE_FORMATS } from '../../audio/formats.js';
import type { ModelCatalog } from '../../domain/catalog.js';
import { notFound } from '../../domain/errors.js';
import { OPENAI_VOICES } from '../../providers/openai/openai-voices.js';
import { authenticate, principalOf, type Authenticator } from '../middleware/authenticate.js';

/**
 * `GET /v1/models/{model}/capabilities`: what a model group can be asked for, so a client
 * (the console's playground among them) offers only settings that mean something. A group
 * takes instructions when one of its deployments does; every format works everywhere (we transcode).
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
    const capabilities = group.map((deployment) => deployment.adapter.capabilities());
    const speeds = capabilities.map((capability) => capability.speed).filter((speed) => speed !== undefined);
    response.json({
      id: name,
      object: 'model.capabilities',
      providers: [...new Set(group.map((deployment) => deployment.provider))],
      response_formats: RESPONSE_FORMATS,
      voices: OPENAI_VOICES,
      instructions: capabilities.some((capability) => capability.instructions),
      streaming: capabilities.some((capability) => capability.streaming),
      // Outside this range the request still succeeds, with a warning header.
      speed: speeds.length === 0 ? null : { min: Math.min(...speeds.map((speed) => speed.min)), max: Math.max(...speeds.map((speed) => speed.max)) },
      max_input_characters: Math.max(...group.map((deployment) => deployment.maxInputCharacters)),
    });
  });
  return router;
}
