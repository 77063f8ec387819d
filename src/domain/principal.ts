import { forbidden } from './errors.js';

/** Who is calling. The master key (or an open loopback service) may use every model. */
export interface Principal {
  readonly kind: 'master' | 'anonymous' | 'virtual_key';
  /** Identifies the key in logs and records; never the key itself. */
  readonly keyId: string;
  /** Model groups the key may use; undefined means all. */
  readonly allowedModels?: readonly string[];
}

export function assertModelAllowed(principal: Principal, model: string): void {
  const allowed = principal.allowedModels;
  if (allowed === undefined || allowed.length === 0 || allowed.includes(model)) return;
  throw forbidden(`This key may not use the model '${model}'. Allowed: ${allowed.join(', ')}.`);
}

export interface Authenticator {
  /** Resolves the caller from a bearer token, or throws a 401 `ApiError`. */
  authenticate(token: string | undefined): Promise<Principal>;
}

/**
 * Decides whether a caller may start work on a model now: the model list, and (with virtual
 * keys) rate limits and budgets. Called by the sync endpoint and by job creation alike.
 */
export interface Admission {
  /** Throws an `ApiError` (403, 429) to refuse; `characters` is the work about to start. */
  admit(principal: Principal, model: string, characters: number): Promise<void>;
}

export const modelListAdmission: Admission = {
  async admit(principal, model) {
    assertModelAllowed(principal, model);
  },
};
