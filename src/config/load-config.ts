import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { DEFAULT_CONFIG_DOCUMENT } from './default-config.js';
import { resolveEnvironmentReferences } from './environment-references.js';
import { inertSettings } from './inert-settings.js';
import { allowedFailsPolicyWarnings, dropParamsWarnings, isRecord, withLitellmRouterDefaults, withoutSkippedFallbacks } from './litellm-settings.js';
import { parseModelString } from './model-string.js';
import { withProviderEnvironment } from './provider-environment.js';
import { pyyamlScalarTags } from './pyyaml-scalars.js';
import { configSchema, type GatewayConfig } from './schema.js';
import { partitionModelList } from './select-speech-models.js';

export interface LoadConfigOptions {
  /** A LiteLLM-style YAML file; without one the built-in local-engine config is used. */
  readonly path?: string;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly config: GatewayConfig;
  readonly source: string;
  /** What was accepted without effect or left out (non-speech models), one line each, for the start-up log. */
  readonly warnings: readonly string[];
}

/** Finds the line of a path in the file, for problems that name it. */
type Locate = (path: readonly (string | number)[]) => number | undefined;

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  if (options.path === undefined) {
    return { ...readConfigDocument(DEFAULT_CONFIG_DOCUMENT, options.environment), source: 'built-in defaults (local engine)' };
  }
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read ${options.path}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const { document, locate } = parseLitellmYaml(text, options.path);
  const read = readConfigDocument(document, options.environment, locate);
  return { ...read, source: options.path };
}

/**
 * Parses YAML as LiteLLM's PyYAML does: YAML 1.1 scalars, and a repeated key keeps its last
 * value instead of failing. A file PyYAML would refuse stops with the line of each error.
 */
export function parseLitellmYaml(text: string, source: string): { readonly document: unknown; readonly locate: Locate } {
  const lineCounter = new LineCounter();
  const parsed = parseDocument(text, {
    version: '1.1',
    schema: 'failsafe',
    customTags: [...pyyamlScalarTags],
    uniqueKeys: false,
    prettyErrors: true,
    lineCounter,
  });
  if (parsed.errors.length > 0) {
    throw new ConfigError(parsed.errors.map((error) => `${source} is not valid YAML: ${error.message}`));
  }
  const locate: Locate = (path) => {
    // A missing field is reported at the nearest enclosing node that exists.
    for (let length = path.length; length >= 0; length -= 1) {
      const node = parsed.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node !== undefined && node !== null && typeof node === 'object' && node.range !== undefined) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { document: parsed.toJS({ maxAliasCount: 1000 }) as unknown, locate };
}

/** Validates a parsed document, listing every problem (unset variables and schema errors) at once. */
export function parseConfigDocument(document: unknown, environment: Readonly<Record<string, string | undefined>>): GatewayConfig {
  return readConfigDocument(document, environment).config;
}

/**
 * Reads a parsed LiteLLM config: leaves out the models that are not speech models, resolves
 * `os.environ/` references (numbers included), fills credentials from the providers' usual
 * variables, applies `litellm_settings` to the router as LiteLLM does, and validates the rest.
 */
export function readConfigDocument(
  document: unknown,
  environment: Readonly<Record<string, string | undefined>>,
  locate?: Locate,
): { readonly config: GatewayConfig; readonly warnings: readonly string[] } {
  const root = document ?? {};
  if (!isRecord(root)) throw new ConfigError(['(root): the config must be a mapping of sections (model_list, router_settings, ...)']);
  const variables = { ...environment, ...environmentSection(root['environment_variables']) };
  const warnings: string[] = [];
  const selection = partitionModelList(root['model_list'], variables);
  warnings.push(...selection.warnings);
  const speechDocument = selection.kept === undefined ? root : { ...root, model_list: selection.kept.map(({ entry }) => entry) };
  /** Paths inside the speech-only document point at the file's own entries again. */
  const originalPath = (path: readonly (string | number)[]): (string | number)[] => {
    if (path[0] !== 'model_list' || typeof path[1] !== 'number' || selection.kept === undefined) return [...path];
    return ['model_list', selection.kept[path[1]]?.index ?? path[1], ...path.slice(2)];
  };
  /** `path: message (line N)`, the path as the user wrote the file. */
  const problem = (path: readonly (string | number)[], message: string): string => {
    const original = originalPath(path);
    const line = locate?.(original);
    return `${original.map(String).join('.') || '(root)'}: ${message}${line === undefined ? '' : ` (line ${line})`}`;
  };

  const inert = inertSettings(speechDocument);
  const underInertKey = (path: string): boolean => inert.some((setting) => path === setting.path || path.startsWith(`${setting.path}.`));
  const resolved = resolveEnvironmentReferences(speechDocument, variables);
  const { value, resolvedPaths } = resolved;
  // LiteLLM reads an unset variable as None; under a key without effect here that must not stop the start.
  const referenceProblems = resolved.problems.filter(({ path }) => !underInertKey(path));
  const problems = referenceProblems.map(({ path, variable }) => problem(path.split('.').map(pathPart), `environment variable ${variable} is not set`));
  const unsetPaths = new Set(referenceProblems.map(({ path }) => path));
  let candidate = withoutSkippedFallbacks(
    withLitellmRouterDefaults(withProviderDefaults(value as Record<string, unknown>, variables)),
    selection.skippedGroups,
    warnings,
  );

  let parsed = configSchema.safeParse(candidate);
  // A variable's value is text; where the schema wants a number or a boolean, read it as one (LiteLLM's `rpm: os.environ/RPM`).
  for (let round = 0; round < 2 && !parsed.success; round += 1) {
    const coerced = coerceResolvedValues(candidate, parsed.error.issues, resolvedPaths);
    if (coerced === undefined) break;
    candidate = coerced;
    parsed = configSchema.safeParse(candidate);
  }
  if (parsed.success && problems.length === 0) {
    warnings.push(
      ...inert.map((setting) => setting.warning),
      ...allowedFailsPolicyWarnings(parsed.data.router_settings.allowed_fails_policy),
      ...dropParamsWarnings(speechDocument as Record<string, unknown>),
    );
    return { config: parsed.data, warnings };
  }
  if (!parsed.success) {
    // Prefixes are checked here too, so one run lists them with the schema's problems.
    problems.push(...modelPrefixProblems(candidate, problem));
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      // An unset variable already explains why its field is missing.
      if (unsetPaths.has(path)) continue;
      problems.push(problem(issue.path as (string | number)[], issue.message));
    }
  }
  throw new ConfigError(problems);
}

function pathPart(part: string): string | number {
  return /^\d+$/.test(part) ? Number(part) : part;
}

/** LiteLLM's `environment_variables:` section sets variables before the rest is read. */
function environmentSection(section: unknown): Record<string, string> {
  if (!isRecord(section)) return {};
  return Object.fromEntries(
    Object.entries(section).flatMap(([name, value]) =>
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [[name, String(value)]] : [],
    ),
  );
}

function withProviderDefaults(document: Record<string, unknown>, environment: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const list = document['model_list'];
  if (!Array.isArray(list)) return document;
  return {
    ...document,
    model_list: list.map((entry: unknown) =>
      isRecord(entry) && isRecord(entry['litellm_params'])
        ? { ...entry, litellm_params: withProviderEnvironment(entry['litellm_params'], environment) }
        : entry,
    ),
  };
}

function coerceResolvedValues(
  document: Record<string, unknown>,
  issues: readonly z.core.$ZodIssue[],
  resolvedPaths: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  const copy = structuredClone(document);
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || !resolvedPaths.has(issue.path.map(String).join('.'))) continue;
    const parent = issue.path
      .slice(0, -1)
      .reduce<unknown>((node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), copy);
    const key = issue.path.at(-1);
    if (parent === undefined || key === undefined) continue;
    const holder = parent as Record<PropertyKey, unknown>;
    const text = holder[key as PropertyKey];
    if (typeof text !== 'string') continue;
    if (issue.expected === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) {
      holder[key as PropertyKey] = Number(text);
      changed = true;
    } else if (issue.expected === 'boolean' && /^(true|false|yes|no|on|off)$/i.test(text.trim())) {
      holder[key as PropertyKey] = /^(true|yes|on)$/i.test(text.trim());
      changed = true;
    }
  }
  return changed ? copy : undefined;
}

function modelPrefixProblems(document: unknown, problem: (path: readonly (string | number)[], message: string) => string): string[] {
  const list = isRecord(document) ? document['model_list'] : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown, index) => {
    const model = isRecord(entry) && isRecord(entry['litellm_params']) ? entry['litellm_params']['model'] : undefined;
    if (typeof model !== 'string' || model === '') return [];
    const parsed = parseModelString(model);
    return 'error' in parsed ? [problem(['model_list', index, 'litellm_params', 'model'], parsed.error)] : [];
  });
}

export function formatZodError(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return `${path}: ${issue.message}`;
  });
}
