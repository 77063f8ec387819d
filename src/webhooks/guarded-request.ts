import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { isForbiddenAddress } from './address-policy.js';

class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  constructor(readonly address: string) {
    super(`refused to connect to ${address}: private, loopback, link-local and metadata addresses are not allowed (webhook_settings.allow_private_networks)`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` that resolves as usual and refuses when any answer is forbidden. Checking every
 * answer (not only the one picked) means a name that mixes public and private addresses is
 * refused whichever the socket would try first.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const forbidden = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (forbidden !== undefined) return callback(new ForbiddenAddressError(forbidden.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (first === undefined) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

export type PostResult =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly allowPrivateNetworks: boolean;
}

/**
 * One POST on a fresh connection. Unless private networks are allowed, the address is
 * checked twice: at resolution, and on the connected socket itself, which also covers
 * literal IP hosts (they skip `lookup`) and any resolver trickery (DNS rebinding).
 */
export function guardedPost(url: URL, options: PostOptions): Promise<PostResult> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(options.body)),
        'user-agent': 'tts-gateway-webhooks/1',
        ...options.headers,
      },
      agent: false,
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
    });
    if (!options.allowPrivateNetworks) {
      request.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          const remote = socket.remoteAddress;
          if (remote === undefined || isForbiddenAddress(remote)) socket.destroy(new ForbiddenAddressError(remote ?? 'an unknown address'));
        });
      });
    }
    request.on('response', (response: IncomingMessage) => {
      // The body is not needed; reading it frees the connection and bounds nothing we keep.
      response.resume();
      response.on('end', () => resolve({ kind: 'response', status: response.statusCode ?? 0 }));
      response.on('error', () => resolve({ kind: 'response', status: response.statusCode ?? 0 }));
    });
    request.on('error', (error: Error) => {
      const refused = error instanceof ForbiddenAddressError ? error : error.cause instanceof ForbiddenAddressError ? error.cause : undefined;
      if (refused !== undefined) resolve({ kind: 'refused', reason: refused.message });
      else
        resolve({
          kind: 'error',
          reason: error.name === 'AbortError' || error.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : error.message,
        });
    });
    request.end(options.body);
  });
}
