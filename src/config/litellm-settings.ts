/**
 * LiteLLM's proxy passes `litellm_settings` to the `litellm` module and `router_settings` to
 * its Router, which reads the module's values wherever its own are not given
 * (litellm/router.py: `num_retries or litellm.num_retries`, `timeout or litellm.request_timeout`,
 * `fallbacks or litellm.fallbacks`, `allowed_fails or litellm.allowed_fails`). This applies the
 * same precedence to the parsed document before the schema gives defaults.
 */
const ROUTER_FROM_LITELLM: ReadonlyArray<readonly [router: string, litellm: string]> = [
  ['num_retries', 'num_retries'],
  ['timeout', 'request_timeout'],
  ['fallbacks', 'fallbacks'],
  ['default_fallbacks', 'default_fallbacks'],
  ['allowed_fails', 'allowed_fails'],
  ['retry_after', 'retry_after'],
];

type Document = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document with `router_settings` completed from `litellm_settings`, as LiteLLM's Router reads them. */
export function withLitellmRouterDefaults(document: Document): Document {
  const litellm = isRecord(document['litellm_settings']) ? document['litellm_settings'] : {};
  const router: Record<string, unknown> = isRecord(document['router_settings']) ? { ...document['router_settings'] } : {};
  for (const [routerKey, litellmKey] of ROUTER_FROM_LITELLM) {
    if ((router[routerKey] === undefined || router[routerKey] === null) && litellm[litellmKey] !== undefined && litellm[litellmKey] !== null) {
      router[routerKey] = litellm[litellmKey];
    }
  }
  return { ...document, router_settings: router };
}

/**
 * Fallbacks and aliases name groups; a LiteLLM config's are mostly chat groups, which are not
 * served here. Those entries (and targets) are dropped, each with a warning, so that only a
 * typo in a speech group's fallbacks or aliases stops the start.
 */
export function withoutSkippedFallbacks(document: Document, skippedGroups: ReadonlySet<string>, warnings: string[]): Document {
  const router = isRecord(document['router_settings']) ? { ...document['router_settings'] } : undefined;
  if (router === undefined) return document;
  const fallbacks = router['fallbacks'];
  if (Array.isArray(fallbacks)) {
    router['fallbacks'] = fallbacks.flatMap((entry: unknown, index) => {
      if (!isRecord(entry)) return [entry];
      const kept: Record<string, unknown> = {};
      for (const [source, targets] of Object.entries(entry)) {
        if (skippedGroups.has(source)) {
          warnings.push(`router_settings.fallbacks.${index}: "${source}" is not a speech model group; its fallbacks do not apply here`);
          continue;
        }
        if (!Array.isArray(targets)) {
          kept[source] = targets;
          continue;
        }
        kept[source] = targets.filter((target: unknown) => {
          if (typeof target !== 'string' || !skippedGroups.has(target)) return true;
          warnings.push(`router_settings.fallbacks.${index}.${source}: "${target}" is not a speech model group; left out of the fallbacks`);
          return false;
        });
      }
      return Object.keys(kept).length === 0 ? [] : [kept];
    });
  }
  const defaults = router['default_fallbacks'];
  if (Array.isArray(defaults)) {
    router['default_fallbacks'] = defaults.filter((target: unknown) => {
      if (typeof target !== 'string' || !skippedGroups.has(target)) return true;
      warnings.push(`router_settings.default_fallbacks: "${target}" is not a speech model group; left out`);
      return false;
    });
  }
  const aliases = router['model_group_alias'];
  if (isRecord(aliases)) {
    router['model_group_alias'] = Object.fromEntries(
      Object.entries(aliases).filter(([name, target]) => {
        const group = isRecord(target) ? target['model'] : target;
        if (typeof group !== 'string' || !skippedGroups.has(group)) return true;
        warnings.push(`router_settings.model_group_alias.${name}: "${group}" is not a speech model group; the alias does not apply here`);
        return false;
      }),
    );
  }
  return { ...document, router_settings: router };
}

/**
 * Counts LiteLLM accepts and never uses: a bad request or a content-policy refusal is the
 * client's, and never cools a deployment down (litellm/router_utils/cooldown_handlers.py,
 * `_is_cooldown_required`), so allowed failures of those classes change nothing there or here.
 */
export function allowedFailsPolicyWarnings(policy: Readonly<Record<string, number | undefined>> | undefined): string[] {
  if (policy === undefined) return [];
  return ['BadRequestErrorAllowedFails', 'ContentPolicyViolationErrorAllowedFails']
    .filter((key) => policy[key] !== undefined)
    .map((key) => `router_settings.allowed_fails_policy.${key}: accepted without effect (a client's bad request never cools a deployment down, as in LiteLLM)`);
}

/**
 * The gateway always drops what a provider cannot take (with an `x-tts-warnings` note), which is
 * LiteLLM's `drop_params: true`. An explicit `false` asks for a 400 instead, which is not done here.
 */
export function dropParamsWarnings(document: Readonly<Record<string, unknown>>): string[] {
  const litellm = document['litellm_settings'];
  if (!isRecord(litellm) || litellm['drop_params'] !== false) return [];
  return ['litellm_settings.drop_params: false has no effect: a parameter a provider cannot take is always dropped with a warning, as with drop_params: true'];
}
