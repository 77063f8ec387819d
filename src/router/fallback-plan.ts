import type { RouterSettings } from '../config/schema.js';
import type { ModelCatalog } from '../domain/catalog.js';
import { invalidRequest } from '../domain/errors.js';

/**
 * The model groups one call may use, in order: the requested group, then the client's
 * `fallbacks` if it sent any, else the group's entry in `router_settings.fallbacks`, else
 * `default_fallbacks`. Fallback groups do not chain further, as in LiteLLM.
 */
export function fallbackPlan(modelName: string, clientFallbacks: readonly string[] | undefined, settings: RouterSettings, catalog: ModelCatalog): string[] {
  if (clientFallbacks !== undefined) {
    const unknown = clientFallbacks.filter((name) => catalog.group(name) === undefined);
    if (unknown.length > 0) {
      throw invalidRequest(`fallbacks name model(s) that do not exist: ${unknown.map((name) => `'${name}'`).join(', ')}`, 'fallbacks', 'model_not_found');
    }
  }
  const configured = settings.fallbacks.find((entry) => entry[modelName] !== undefined)?.[modelName];
  const fallbacks = clientFallbacks ?? configured ?? settings.default_fallbacks;
  return [...new Set([modelName, ...fallbacks])].filter((name) => catalog.group(name) !== undefined);
}
