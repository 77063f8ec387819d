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
  // An alias's own entry first (LiteLLM keys fallbacks by the name the call used), then its group's.
  const entryFor = (name: string): readonly string[] | undefined => settings.fallbacks.find((entry) => entry[name] !== undefined)?.[name];
  const configured = entryFor(modelName) ?? entryFor(catalog.resolve(modelName));
  const fallbacks = clientFallbacks ?? configured ?? settings.default_fallbacks;
  // One group is tried once per call, whichever names (alias or group) lead to it.
  const seen = new Set<string>();
  return [modelName, ...fallbacks].filter((name) => {
    const group = catalog.resolve(name);
    if (seen.has(group) || catalog.group(name) === undefined) return false;
    seen.add(group);
    return true;
  });
}
