import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { unauthorized } from '../../domain/errors.js';
import type { Authenticator, Principal } from '../../domain/principal.js';

// The contract lives in the domain (governance implements it); re-exported for the routes that take one.
export type { Authenticator } from '../../domain/principal.js';

/**
 * The master key alone. With no master key the service is open and must only be reachable
 * from this machine: the entry point binds it to loopback.
 */
export function createMasterKeyAuthenticator(masterKey: string | undefined): Authenticator {
  const expected = masterKey === undefined ? undefined : digest(masterKey);
  return {
    async authenticate(token) {
      if (expected === undefined) return { kind: 'anonymous', keyId: 'anonymous' };
      if (token === undefined) {
        throw unauthorized('Missing API key. Send it as "Authorization: Bearer <key>".');
      }
      // Digests have equal length, so the comparison takes the same time whatever was sent.
      if (!timingSafeEqual(digest(token), expected)) throw unauthorized('Incorrect API key provided.');
      return { kind: 'master', keyId: 'master' };
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The key a request carries. LiteLLM's `x-litellm-api-key` (the key itself or `Bearer <key>`) comes
 * first, as in LiteLLM's proxy: it lets a client keep `Authorization` for something else. Then
 * `Authorization: Bearer`, then `api-key`, which Azure-style clients send.
 */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const litellmKey = headers['x-litellm-api-key'];
  if (litellmKey !== undefined) {
    const value = Array.isArray(litellmKey) ? litellmKey.join(', ') : litellmKey;
    const token = BEARER.exec(value)?.[1] ?? value.trim();
    return token === '' ? undefined : token;
  }
  const header = headers.authorization;
  if (header === undefined) {
    const key = headers['api-key'];
    return Array.isArray(key) ? key.join(', ') : key;
  }
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw unauthorized('Malformed Authorization header. Send "Authorization: Bearer <key>".');
  return token;
}

/** Authenticates the request's key and stores the principal. */
export function authenticate(authenticator: Authenticator): RequestHandler {
  return async (request, response, next) => {
    try {
      response.locals['principal'] = await authenticator.authenticate(bearerToken(request.headers));
      next();
    } catch (error) {
      next(error);
    }
  };
}

export function principalOf(response: Response): Principal {
  const principal = response.locals['principal'] as Principal | undefined;
  if (principal === undefined) throw new Error('route reached without authentication');
  return principal;
}
