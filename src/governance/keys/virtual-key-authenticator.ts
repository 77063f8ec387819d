import { createHash, timingSafeEqual } from 'node:crypto';
import type { Authenticator } from '../../domain/principal.js';
import { serviceUnavailable, unauthorized } from '../../domain/errors.js';
import { isExpired } from './key-record.js';
import { hashVirtualKey } from './key-secret.js';
import type { KeyStore } from './key-store.js';

export interface VirtualKeyAuthenticatorDependencies {
  readonly masterKey: string | undefined;
  readonly keys: KeyStore;
  readonly now: () => number;
}

/**
 * The master key (compared in constant time) or a virtual key, found by its hash: the key
 * itself is never stored, so the lookup by hash is the comparison. Without a master key the
 * service is open (loopback only) and callers without a virtual key are anonymous.
 */
export function createVirtualKeyAuthenticator(dependencies: VirtualKeyAuthenticatorDependencies): Authenticator {
  const master = dependencies.masterKey === undefined ? undefined : digest(dependencies.masterKey);
  return {
    async authenticate(token) {
      if (token === undefined) {
        if (master === undefined) return { kind: 'anonymous', keyId: 'anonymous' };
        throw unauthorized('Missing API key. Send it as "Authorization: Bearer <key>".');
      }
      if (master !== undefined && timingSafeEqual(digest(token), master)) return { kind: 'master', keyId: 'master' };
      // Without the key store a virtual key cannot be checked: fail closed, as unavailable (the master key above needs no lookup).
      const record = await dependencies.keys.get(hashVirtualKey(token)).catch((error: unknown) => {
        throw serviceUnavailable('API keys cannot be checked right now: the key store is unreachable. Retry shortly.', error);
      });
      if (record === undefined) {
        if (master === undefined) return { kind: 'anonymous', keyId: 'anonymous' };
        throw unauthorized('Incorrect API key provided.');
      }
      if (isExpired(record, dependencies.now())) throw unauthorized(`This key expired at ${record.expires ?? ''}.`);
      return { kind: 'virtual_key', keyId: record.token, ...(record.models.length === 0 ? {} : { allowedModels: record.models }) };
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
