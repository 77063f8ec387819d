import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Agent, type Dispatcher } from 'undici';

/** A request as the stub received it, under the URL the adapter addressed (its Host, scheme and path). */
interface StubRequest {
  readonly url: string;
  readonly method: string;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** What the adapter handed the dispatcher, signal included (the server cannot see that). */
interface DispatchRecord {
  readonly url: string;
  readonly signal: unknown;
  readonly headers: unknown;
  readonly body: unknown;
}

type StubHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void | Promise<void>;

export interface UpstreamStub {
  /** Dials the stub for every origin, so an adapter keeps its real URL (`https://api.openai.com/...`) and the test sees it. */
  readonly dispatcher: Dispatcher;
  readonly requests: StubRequest[];
  readonly dispatches: DispatchRecord[];
  /** Answers the next requests. */
  answer(handler: StubHandler): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback that stands in for any provider host: the dispatcher's
 * connector opens a plain TCP connection to it whatever origin a request names, so tests assert
 * the exact URL and headers an adapter sent without a DNS entry or a TLS certificate.
 */
export async function startUpstreamStub(scheme: 'https' | 'http' = 'https'): Promise<UpstreamStub> {
  const requests: StubRequest[] = [];
  let handler: StubHandler = (_request, response) => {
    response.statusCode = 500;
    response.end('no answer set');
  };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    requests.push({
      url: `${scheme}://${request.headers.host ?? ''}${request.url ?? '/'}`,
      method: request.method ?? 'GET',
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value])),
      body,
    });
    await handler(request, response, body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const dispatches: DispatchRecord[] = [];
  const agent = new Agent({
    connect: (_options, callback) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    dispatches.push({
      url: `${String(options.origin ?? '')}${options.path}`,
      signal: (options as { signal?: unknown }).signal,
      headers: options.headers,
      body: options.body,
    });
    return dispatch(options, handler);
  });
  return {
    dispatcher,
    requests,
    dispatches,
    answer(next) {
      handler = next;
    },
    async close() {
      await agent.close();
      server.closeAllConnections();
      server.close();
    },
  };
}
