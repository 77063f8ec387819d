import type { CacheControl } from '../core/synthesis-cache.js';
import { invalidRequest } from '../domain/errors.js';

export interface CacheControlBody {
  readonly 'no-cache'?: boolean | undefined;
  readonly 'no-store'?: boolean | undefined;
  readonly ttl?: number | undefined;
  readonly 's-maxage'?: number | undefined;
  readonly 's-max-age'?: number | undefined;
  readonly namespace?: string | undefined;
  readonly 'use-cache'?: boolean | undefined;
}

const SECONDS = /^\d+$/;

/**
 * A request's cache controls from LiteLLM's `cache` body field and the HTTP `Cache-Control`
 * request header (RFC 9111 §5.2.1): `no-cache`, `no-store`, and `max-age=N` (or `s-maxage=N`)
 * for the oldest answer accepted. The body wins where both speak. Other directives are ignored,
 * as HTTP caches ignore directives that do not apply to them.
 */
export function cacheControlOf(body: CacheControlBody | undefined, header: string | undefined): CacheControl | undefined {
  const fromHeader: { noCache?: boolean; noStore?: boolean; maxAgeSeconds?: number } = {};
  for (const directive of (header ?? '').split(',')) {
    const [rawName, rawValue] = directive.split('=', 2);
    const name = rawName?.trim().toLowerCase() ?? '';
    const value = rawValue?.trim().replace(/^"|"$/g, '');
    if (name === 'no-cache') fromHeader.noCache = true;
    else if (name === 'no-store') fromHeader.noStore = true;
    else if (name === 'max-age' || name === 's-maxage') {
      if (value === undefined || !SECONDS.test(value))
        throw invalidRequest(`Cache-Control ${name} must be a whole number of seconds`, null, 'invalid_cache_control');
      fromHeader.maxAgeSeconds = Number(value);
    }
  }
  const control: CacheControl = {
    ...fromHeader,
    ...(body?.['no-cache'] === undefined ? {} : { noCache: body['no-cache'] }),
    ...(body?.['no-store'] === undefined ? {} : { noStore: body['no-store'] }),
    ...(body?.ttl === undefined ? {} : { ttlSeconds: body.ttl }),
    ...(body?.['s-max-age'] === undefined ? {} : { maxAgeSeconds: body['s-max-age'] }),
    ...(body?.['s-maxage'] === undefined ? {} : { maxAgeSeconds: body['s-maxage'] }),
    ...(body?.namespace === undefined ? {} : { namespace: body.namespace }),
    ...(body?.['use-cache'] === undefined ? {} : { useCache: body['use-cache'] }),
  };
  return Object.keys(control).length === 0 ? undefined : control;
}
