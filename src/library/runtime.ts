import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { type ComposedRouting, composeCatalog, composeRouting, composeSynthesize, type GatewayTools } from '../compose/compose-synthesis.js';
import { findExecutable } from '../config/executables.js';
import type { GatewayConfig } from '../config/schema.js';
import type { Synthesize } from '../core/synthesize.js';
import type { ModelCatalog } from '../domain/catalog.js';
import { buildGuardrails } from '../governance/guardrails/build-guardrails.js';
import { guardrailsAsInputGuard } from '../governance/guardrails/guardrail.js';
import { createLogger } from '../logging/logger.js';
import { createUpstreamAgent } from '../providers/shared/upstream-agent.js';

/** Where the programs the local engine and transcoding run are found; each defaults to the PATH. */
export interface RuntimeOptions {
  /** ffmpeg, for any format the provider does not make itself (default: `ffmpeg` on the PATH). */
  readonly ffmpegPath?: string;
  /** The espeak-ng binary (default: `espeak-ng` on the PATH, else the bundled WASM build). */
  readonly espeakPath?: string;
  /** `binary`, `wasm`, or `auto` (the binary when there is one). */
  readonly espeakEngine?: 'auto' | 'binary' | 'wasm';
  /** Used for every provider call; `globalThis.fetch` by default. */
  readonly fetch?: typeof globalThis.fetch;
  /** Router and guardrail logs; silent by default. */
  readonly logger?: Logger;
  /** Where `os.environ/NAME` references and the PATH are read; `process.env` by default. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

export interface LibraryComposition {
  readonly catalog: ModelCatalog;
  readonly routing: ComposedRouting;
  readonly synthesize: Synthesize;
}

export function environmentOf(options: RuntimeOptions): Readonly<Record<string, string | undefined>> {
  return options.environment ?? process.env;
}

function resolveTools(options: RuntimeOptions): GatewayTools {
  const searchPath = environmentOf(options)['PATH'] ?? '';
  const engine = options.espeakEngine ?? 'auto';
  const espeakBinaryPath = engine === 'wasm' ? undefined : findExecutable(options.espeakPath ?? 'espeak-ng', searchPath);
  if (engine === 'binary' && espeakBinaryPath === undefined) throw new Error('espeakEngine is "binary" but espeak-ng was not found on the PATH');
  return {
    // Without ffmpeg, a call that needs no transcoding still works; one that does fails on the spawn, saying ffmpeg is missing.
    ffmpegPath: findExecutable(options.ffmpegPath ?? 'ffmpeg', searchPath) ?? options.ffmpegPath ?? 'ffmpeg',
    espeakBinaryPath,
    nodePath: process.execPath,
  };
}

/**
 * The server's synthesis core without its HTTP side: the same catalog, router and `synthesize`
 * (with the config's guardrails), built from the same validated config. Nothing is started:
 * no listener, no Redis connection unless one is given, no child process until a call needs one.
 */
export function composeLibrary(config: GatewayConfig, options: RuntimeOptions & { readonly redis?: RedisClient | undefined }): LibraryComposition {
  const fetch = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? createLogger('silent');
  const tools = resolveTools(options);
  // One keep-alive pool per upstream origin, for this router's calls; it holds no socket until a call opens one.
  const { catalog } = composeCatalog(config, tools, { fetch, dispatcher: createUpstreamAgent() });
  const routing = composeRouting({ config, catalog, redis: options.redis, logger, random: Math.random, now: Date.now });
  const guardrails = buildGuardrails(config.guardrails, fetch, logger);
  const synthesize = composeSynthesize({
    catalog,
    router: routing.router,
    ffmpegPath: tools.ffmpegPath,
    now: Date.now,
    guard: guardrails.length === 0 ? undefined : guardrailsAsInputGuard(guardrails),
  });
  return { catalog, routing, synthesize };
}
