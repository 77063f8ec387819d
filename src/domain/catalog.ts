import { createHash } from 'node:crypto';
import { ZodError } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { formatZodError } from '../config/load-config.js';
import type { DeploymentConfig, GatewayConfig, LitellmParams } from '../config/schema.js';
import { parseModelString, type ProviderDependencies, type ProviderRegistry } from '../providers/registry.js';
import type { ProviderId, SpeechProvider } from '../providers/spec/types.js';

/** One upstream deployment, ready to call. */
export interface Deployment {
  /** `model_info.id`, else a stable hash, so every instance of one config names it alike. */
  readonly id: string;
  /** The group (`model_name`) it serves. */
  readonly modelName: string;
  readonly provider: ProviderId;
  /** The provider-side model, after the prefix. */
  readonly model: string;
  readonly params: LitellmParams;
  readonly adapter: SpeechProvider;
  /** The longest input this deployment takes in one call. */
  readonly maxInputCharacters: number;
}

/** LiteLLM's `router_settings.model_group_alias`: another name for a group. */
interface ModelAlias {
  readonly name: string;
  readonly group: string;
  /** Kept off `/v1/models`, still callable. */
  readonly hidden: boolean;
}

export interface ModelCatalog {
  /** Group names in config order. */
  readonly modelNames: readonly string[];
  readonly aliases: readonly ModelAlias[];
  /** The group's deployments; an alias names its group's (an alias wins over a group of the same name, as in LiteLLM). */
  group(modelName: string): readonly Deployment[] | undefined;
  /** The group a name stands for: the alias's group, else the name itself. */
  resolve(modelName: string): string;
  deployment(id: string): Deployment | undefined;
}

export function buildCatalog(config: GatewayConfig, registry: ProviderRegistry, dependencies: ProviderDependencies): ModelCatalog {
  const problems: string[] = [];
  const groups = new Map<string, Deployment[]>();
  const byId = new Map<string, Deployment>();
  config.model_list.forEach((entry, index) => {
    const path = `model_list.${index}`;
    const deployment = buildDeployment(entry, index, registry, dependencies, path, problems);
    if (deployment === undefined) return;
    if (byId.has(deployment.id)) {
      problems.push(`${path}.model_info.id: "${deployment.id}" is used by another deployment`);
      return;
    }
    byId.set(deployment.id, deployment);
    const group = groups.get(deployment.modelName) ?? [];
    group.push(deployment);
    groups.set(deployment.modelName, group);
  });
  const aliases = aliasesOf(config, groups, problems);
  const aliasGroup = new Map(aliases.map((alias) => [alias.name, alias.group]));
  problems.push(...unknownFallbackGroups(config, groups, aliasGroup));
  if (problems.length > 0) throw new ConfigError(problems);
  const resolve = (modelName: string): string => aliasGroup.get(modelName) ?? modelName;
  return {
    modelNames: [...groups.keys()],
    aliases,
    group: (modelName) => groups.get(resolve(modelName)),
    resolve,
    deployment: (id) => byId.get(id),
  };
}

function buildDeployment(
  entry: DeploymentConfig,
  index: number,
  registry: ProviderRegistry,
  dependencies: ProviderDependencies,
  path: string,
  problems: string[],
): Deployment | undefined {
  const parsed = parseModelString(entry.litellm_params.model);
  if ('error' in parsed) {
    problems.push(`${path}.litellm_params.model: ${parsed.error}`);
    return undefined;
  }
  const factory = registry.get(parsed.provider);
  if (factory === undefined) {
    problems.push(`${path}.litellm_params.model: provider "${parsed.provider}" is not available in this build`);
    return undefined;
  }
  let adapter: SpeechProvider;
  try {
    adapter = factory.create({ model: parsed.model, params: entry.litellm_params, dependencies });
  } catch (error) {
    if (error instanceof ZodError) problems.push(...formatZodError(error, `${path}.litellm_params`));
    else problems.push(`${path}.litellm_params: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const capabilityLimit = adapter.capabilities().maxInputCharacters;
  return {
    id: entry.model_info?.id ?? deploymentHash(entry, index),
    modelName: entry.model_name,
    provider: parsed.provider,
    model: parsed.model,
    params: entry.litellm_params,
    adapter,
    maxInputCharacters: Math.min(entry.litellm_params.max_input_characters ?? capabilityLimit, capabilityLimit),
  };
}

const SECRET_FIELD = /key|secret|token|password|credential/i;

/** A stable id from what identifies the deployment, leaving secrets out of the hash. */
function deploymentHash(entry: DeploymentConfig, index: number): string {
  const identity = Object.fromEntries(
    Object.entries(entry.litellm_params)
      .filter(([key]) => !SECRET_FIELD.test(key))
      .sort(([left], [right]) => left.localeCompare(right)),
  );
  const digest = createHash('sha256')
    .update(JSON.stringify({ name: entry.model_name, identity, index }))
    .digest('hex');
  return digest.slice(0, 16);
}

/** An alias must name a group: LiteLLM would fail each call to it, here the start says so once. */
function aliasesOf(config: GatewayConfig, groups: ReadonlyMap<string, readonly Deployment[]>, problems: string[]): ModelAlias[] {
  return Object.entries(config.router_settings.model_group_alias).flatMap(([name, target]) => {
    const alias = typeof target === 'string' ? { name, group: target, hidden: false } : { name, group: target.model, hidden: target.hidden };
    if (groups.has(alias.group)) return [alias];
    problems.push(`router_settings.model_group_alias.${name}: "${alias.group}" is not a model_name in model_list`);
    return [];
  });
}

/** Fallbacks must name groups (or aliases) that exist: a typo would otherwise silently remove a safety net. */
function unknownFallbackGroups(
  config: GatewayConfig,
  realGroups: ReadonlyMap<string, readonly Deployment[]>,
  aliasGroup: ReadonlyMap<string, string>,
): string[] {
  const groups = { has: (name: string): boolean => realGroups.has(name) || aliasGroup.has(name) };
  const problems: string[] = [];
  const { fallbacks, default_fallbacks: defaultFallbacks } = config.router_settings;
  fallbacks.forEach((entry, index) => {
    for (const [source, targets] of Object.entries(entry)) {
      if (!groups.has(source)) problems.push(`router_settings.fallbacks.${index}: "${source}" is not a model_name in model_list`);
      for (const target of targets) {
        if (!groups.has(target)) problems.push(`router_settings.fallbacks.${index}.${source}: "${target}" is not a model_name in model_list`);
      }
    }
  });
  defaultFallbacks.forEach((target, index) => {
    if (!groups.has(target)) problems.push(`router_settings.default_fallbacks.${index}: "${target}" is not a model_name in model_list`);
  });
  return problems;
}
