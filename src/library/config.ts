import type { z } from 'zod';
import { loadConfig as loadGatewayConfig } from '../config/load-config.js';
import { parseConfigDocument } from '../config/load-config.js';
import type { configSchema, GatewayConfig } from '../config/schema.js';

/** A config as written in `config.yaml` (LiteLLM's proxy config): what `createRouter` takes. */
export type ConfigDocument = z.input<typeof configSchema>;
export type { GatewayConfig };

/** Configs that went through the server's loader: they are not validated twice. */
const validated = new WeakSet<object>();

/**
 * Reads a LiteLLM-style `config.yaml` with the server's own loader (`os.environ/` references
 * resolved from `environment`, every problem listed in one `ConfigError`), for `createRouter`.
 * Without a path, the built-in config: `tts-1`, `tts-1-hd` and `gpt-4o-mini-tts` on the local engine.
 */
export async function loadConfig(path?: string, environment: Readonly<Record<string, string | undefined>> = process.env): Promise<GatewayConfig> {
  const { config } = await loadGatewayConfig({ environment, ...(path === undefined ? {} : { path }) });
  validated.add(config);
  return config;
}

/** The validated config for a document, through the same parser as the server's. */
export function configOf(document: ConfigDocument | GatewayConfig, environment: Readonly<Record<string, string | undefined>>): GatewayConfig {
  if (validated.has(document)) return document as GatewayConfig;
  const config = parseConfigDocument(document, environment);
  validated.add(config);
  return config;
}
