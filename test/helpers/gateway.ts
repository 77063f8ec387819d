import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { Authenticator } from '../../src/domain/principal.js';
import { composeGateway, type Gateway } from '../../src/compose-gateway.js';
import { DEFAULT_CONFIG_DOCUMENT } from '../../src/config/default-config.js';
import { parseConfigDocument } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import { testTools } from './tools.js';

export interface RunningGateway {
  readonly baseUrl: string;
  readonly gateway: Gateway;
  /** Every log line written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  readonly config?: unknown;
  readonly environment?: Record<string, string>;
  readonly masterKey?: string;
  readonly engine?: 'binary' | 'wasm';
  readonly authenticator?: Authenticator;
  readonly fetch?: typeof globalThis.fetch;
  readonly random?: () => number;
}

/** Starts the real application on an ephemeral loopback port, composed as the entry point does. */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const config = parseConfigDocument(options.config ?? DEFAULT_CONFIG_DOCUMENT, options.environment ?? {});
  const gateway = composeGateway({
    config,
    masterKey: options.masterKey,
    tools: testTools(options.engine),
    logger: createLogger('info', sink),
    ...(options.authenticator === undefined ? {} : { authenticator: options.authenticator }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const server: Server = gateway.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    gateway,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
