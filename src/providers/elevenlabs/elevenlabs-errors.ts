import { z } from 'zod';
import type { ProviderErrorKind } from '../spec/errors.js';
import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';
import { parseJsonBody } from '../shared/json-body.js';

/**
 * ElevenLabs' error bodies: `{"detail": [...]}` for request validation (422, FastAPI style),
 * `{"detail": {"status": "<code>", "message": "..."}}` for the rest; newer answers name the
 * code `code` (with `type`, `request_id`, `param`). Only the fields read are declared.
 */
const detailSchema = z.union([
  z.array(z.looseObject({ loc: z.array(z.union([z.string(), z.number()])).optional(), msg: z.string().optional() })),
  z.looseObject({ status: z.string().optional(), code: z.string().optional(), message: z.string().optional() }),
  z.string(),
]);
const errorBodySchema = z.looseObject({ detail: detailSchema });

/**
 * The codes whose meaning differs from their HTTP status: a spent quota comes as 401, and
 * both "too busy" codes are worth retrying elsewhere.
 */
const KIND_BY_CODE: Readonly<Record<string, ProviderErrorKind>> = {
  quota_exceeded: 'quota_exceeded',
  too_many_concurrent_requests: 'rate_limited',
  system_busy: 'rate_limited',
  invalid_api_key: 'auth',
  needs_authorization: 'auth',
};

export function readElevenLabsFailure(failure: UpstreamFailure): FailureReading {
  const parsed = parseJsonBody(errorBodySchema, failure.body);
  if (parsed === undefined) return {};
  const detail = parsed.detail;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const problems = detail.map((problem) => `${(problem.loc ?? []).join('.')}: ${problem.msg ?? 'invalid'}`);
    return { kind: 'invalid_request', message: `invalid request (${problems.join('; ')})` };
  }
  const code = detail.status ?? detail.code;
  const message = [code, detail.message].filter((part) => part !== undefined && part !== '').join(': ');
  const kind = code === undefined ? undefined : KIND_BY_CODE[code];
  return { ...(kind === undefined ? {} : { kind }), ...(message === '' ? {} : { message }) };
}
