import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** One Redis address. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export interface RedisCredentials {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** TLS on every connection (`rediss://`, `REDIS_SSL`); `ca` is a PEM file's path. */
  readonly tls?: { readonly ca?: string | undefined; readonly rejectUnauthorized: boolean } | undefined;
}

/**
 * The Redis every part of the program uses: one server, a Cluster (seeded by any of its nodes),
 * or a master that Sentinels name and follow through failovers.
 */
export type RedisTarget =
  | ({ readonly kind: 'single'; readonly url: string } & RedisCredentials)
  | ({ readonly kind: 'cluster'; readonly nodes: readonly RedisNode[] } & RedisCredentials)
  | ({
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      /** The master's name in the Sentinels' configuration (LiteLLM's `service_name`). */
      readonly name: string;
      readonly sentinelPassword?: string | undefined;
    } & RedisCredentials);

const DEFAULT_PORTS = { cluster: 6379, sentinel: 26379 } as const;

/**
 * A target from a URL: `redis://` and `rediss://` name one server; `redis+cluster://` (or
 * `rediss+cluster://`) lists Cluster nodes, `redis+sentinel://host:26379,host:26379/mymaster`
 * Sentinels and the master's name. Credentials and TLS come from the URL as with `redis://`.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^(rediss?)(?:\+(cluster|sentinel))?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(?:\/([^?#]*))?$/.exec(url.trim());
  if (match === null) throw new ConfigError([`REDIS_URL: not a redis://, rediss://, redis+cluster:// or redis+sentinel:// URL`]);
  const [, scheme, topology, username, password, hosts = '', path = ''] = match;
  const credentials: RedisCredentials = {
    ...(username === undefined || username === '' ? {} : { username: decodeURIComponent(username) }),
    ...(password === undefined ? {} : { password: decodeURIComponent(password) }),
    ...(scheme === 'rediss' ? { tls: { rejectUnauthorized: true } } : {}),
  };
  if (topology === undefined) return { kind: 'single', url: url.trim(), ...credentials };
  const nodes = parseNodeList(hosts, DEFAULT_PORTS[topology as 'cluster' | 'sentinel'], 'REDIS_URL');
  if (topology === 'cluster') return { kind: 'cluster', nodes, ...credentials };
  const name = decodeURIComponent(path);
  if (name === '') throw new ConfigError(['REDIS_URL: a redis+sentinel:// URL ends with the master name, as in redis+sentinel://host:26379/mymaster']);
  return { kind: 'sentinel', sentinels: nodes, name, ...credentials };
}

const nodeObject = z.object({ host: z.string().min(1), port: z.coerce.number().int().min(1).max(65_535) });
const nodePair = z.tuple([z.string().min(1), z.coerce.number().int().min(1).max(65_535)]).transform(([host, port]) => ({ host, port }));

/**
 * Nodes as LiteLLM writes them, in JSON (`[{"host": "a", "port": "7001"}]` for Cluster,
 * `[["a", 26379]]` for Sentinel), or as `host:port,host:port`.
 */
export function parseNodeList(text: string, defaultPort: number, source: string): RedisNode[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new ConfigError([`${source}: not valid JSON`]);
    }
    return nodesFrom(parsed, source);
  }
  const nodes = trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.lastIndexOf(':');
      const host = at === -1 ? entry : entry.slice(0, at);
      const port = at === -1 ? defaultPort : Number(entry.slice(at + 1));
      if (host === '' || !Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError([`${source}: "${entry}" is not host:port`]);
      return { host, port };
    });
  if (nodes.length === 0) throw new ConfigError([`${source}: no node given`]);
  return nodes;
}

/** Nodes from a parsed list of `{host, port}` objects or `[host, port]` pairs. */
export function nodesFrom(value: unknown, source: string): RedisNode[] {
  const parsed = z
    .array(z.union([nodeObject, nodePair]))
    .min(1)
    .safeParse(value);
  if (!parsed.success) throw new ConfigError([`${source}: a list of {"host", "port"} objects or [host, port] pairs is expected`]);
  return parsed.data;
}
