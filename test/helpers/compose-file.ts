import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');

/** Compose's variable interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, $$. */
function interpolate(value: unknown, environment: Readonly<Record<string, string>>, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
      (_whole, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
        if (name === undefined) return '$';
        const current = environment[name];
        const unset = current === undefined || (operator?.startsWith(':') === true && current === '');
        if (operator?.endsWith('?') === true && unset) throw new Error(`${path}: required variable ${name} is missing: ${argument ?? ''}`);
        if (operator?.endsWith('-') === true && unset) return argument ?? '';
        return current ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map((entry, index) => interpolate(entry, environment, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, interpolate(entry, environment, `${path}.${key}`)]));
  return value;
}

export interface ComposeDependency {
  readonly condition: string;
  readonly required?: boolean;
}

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  command?: string[];
  entrypoint?: string[];
  profiles?: string[];
  depends_on?: Record<string, ComposeDependency> | string[];
  volumes?: Array<string | { type?: string; source?: string }>;
  configs?: Array<string | { source: string; target?: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string; file?: string }>;
}

const composeText = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');

/** docker-compose.yml as Compose reads it: `<<:` merged, variables interpolated from `environment`. */
export function loadCompose(environment: Readonly<Record<string, string>>): ComposeFile {
  return interpolate(parse(composeText, { merge: true }), environment) as ComposeFile;
}

/** The services `docker compose up` starts with these profiles active (those with no profile, and the profiles'). */
export function activeServices(compose: ComposeFile, profiles: readonly string[] = []): string[] {
  return Object.entries(compose.services)
    .filter(([, service]) => service.profiles === undefined || service.profiles.some((profile) => profiles.includes(profile)))
    .map(([name]) => name);
}
