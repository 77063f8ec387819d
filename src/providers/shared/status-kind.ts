import type { ProviderErrorKind } from '../spec/errors.js';

/** The default reading of an upstream HTTP status; adapters refine it from the body where a provider says more. */
export function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'invalid_request';
}
