import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { DEFAULT_CONFIG_DOCUMENT } from './default-config.js';
import { resolveEnvironmentReferences } from './environment-references.js';
import { parseModelString } from './model-string.js';
import { configSchema, type GatewayConfig } from './schema.js';

export interface LoadConfigOptions {
  /** A LiteLLM-style YAML file; without one the built-in local-engine config is used. */
  readonly path?: string;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly config: GatewayConfig;
  readonly source: string;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  if (options.path === undefined) {
    return { config: parseConfigDocument(DEFAULT_CONFIG_DOCUMENT, options.environment), source: 'built-in defaults (local engine)' };
  }
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read ${options.path}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    throw new ConfigError([`${options.path} is not valid YAML: ${message}`]);
  }
  return { config: parseConfigDocument(document, options.environment), source: options.path };
}

/** Validates a parsed document, listing every problem (unset variables and schema errors) at once. */
export function parseConfigDocument(document: unknown, environment: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const { value, problems: referenceProblems } = resolveEnvironmentReferences(document ?? {}, environment);
  const problems = referenceProblems.map(({ path, variable }) => `${path}: environment variable ${variable} is not set`);
  const unsetPaths = new Set(referenceProblems.map(({ path }) => path));
  const parsed = configSchema.safeParse(value);
  if (parsed.success && problems.length === 0) return parsed.data;
  if (!parsed.success) {
    // Prefixes are checked here too, so one run lists them with the schema's problems.
    problems.push(...modelPrefixProblems(value));
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      // An unset variable already explains why its field is missing.
      if (unsetPaths.has(path)) continue;
      problems.push(`${path || '(root)'}: ${issue.message}`);
    }
  }
  throw new ConfigError(problems);
}

function modelPrefixProblems(document: unknown): string[] {
  const list = typeof document === 'object' && document !== null ? (document as { model_list?: unknown }).model_list : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown, index) => {
    const model = typeof entry === 'object' && entry !== null ? (entry as { litellm_params?: { model?: unknown } }).litellm_params?.model : undefined;
    if (typeof model !== 'string' || model === '') return [];
    const parsed = parseModelString(model);
    return 'error' in parsed ? [`model_list.${index}.litellm_params.model: ${parsed.error}`] : [];
  });
}

export function formatZodError(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return `${path}: ${issue.message}`;
  });
}
