import type { Authenticator } from '../../src/domain/principal.js';
import { unauthorized } from '../../src/domain/errors.js';

/**
 * Three keys: the master, and two others that must not see each other's jobs. Ownership
 * rests on `keyId` alone; the two are not `virtual_key` principals because admitting those
 * needs key records in the governance store, which is not what these tests are about.
 */
export const KEYS = { master: 'sk-master', alice: 'sk-alice', bob: 'sk-bob' } as const;
const authenticator: Authenticator = {
  async authenticate(token) {
    if (token === KEYS.master) return { kind: 'master', keyId: 'master' };
    if (token === KEYS.alice) return { kind: 'anonymous', keyId: 'key-alice' };
    if (token === KEYS.bob) return { kind: 'anonymous', keyId: 'key-bob' };
    throw unauthorized('Incorrect API key provided.');
  },
};

/** What a jobs test starts its gateway with: the master key and the three-key authenticator. */
export const JOB_KEYS = { masterKey: KEYS.master, authenticator } as const;
