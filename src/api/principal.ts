import { forbidden } from '../core/errors.js';

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
