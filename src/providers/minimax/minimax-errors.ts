import { z } from 'zod';
import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';
import { ProviderError, type ProviderErrorKind } from '../spec/errors.js';
import { parseJsonBody } from '../shared/json-body.js';

export const MINIMAX_PROVIDER = 'minimax';

/**
 * MiniMax's business status codes (`base_resp.status_code`), which usually arrive with HTTP 200
 * (https://platform.minimax.io/docs/api-reference/errorcode). Unlisted codes are `unavailable`.
 */
const KIND_BY_CODE: Readonly<Record<number, ProviderErrorKind>> = {
  1000: 'unavailable', // unknown error
  1001: 'timeout',
  1002: 'rate_limited',
  1004: 'auth', // not authorised / token and group mismatch
  1008: 'quota_exceeded', // insufficient balance
  1026: 'content_rejected', // sensitive input
  1027: 'content_rejected', // sensitive output
  1028: 'quota_exceeded',
  1030: 'quota_exceeded',
  1039: 'rate_limited', // tokens-per-minute limit
  1042: 'invalid_request', // too many invisible characters
  2013: 'invalid_request', // invalid parameters
  2049: 'auth', // invalid API key
  2054: 'invalid_request', // voice id does not exist
  // The model is not in the account's plan; MiniMax's CLI treats it as a quota matter.
  2061: 'quota_exceeded',
};

export function kindOfMiniMaxCode(code: number): ProviderErrorKind {
  return KIND_BY_CODE[code] ?? 'unavailable';
}

/** A business error in a 200 answer (JSON body or stream event) as a `ProviderError`. */
export function businessError(code: number, message: string | undefined, traceId: string | undefined): ProviderError {
  return new ProviderError({
    kind: kindOfMiniMaxCode(code),
    provider: MINIMAX_PROVIDER,
    message: `status_code ${code}: ${message === undefined || message === '' ? 'no message' : message}`,
    ...(traceId === undefined ? {} : { upstreamRequestId: traceId }),
  });
}

/** Gateway-level errors use either MiniMax's `base_resp` or an `{"error":{...}}` envelope. */
const errorBodySchema = z.looseObject({
  base_resp: z.looseObject({ status_code: z.number(), status_msg: z.string().optional() }).optional(),
  error: z.looseObject({ message: z.string().optional(), type: z.string().optional() }).optional(),
});

/** For `callUpstream`: a non-2xx answer, kind from its business code when it has one, else from the status. */
export function readMiniMaxFailure(failure: UpstreamFailure): FailureReading {
  const parsed = parseJsonBody(errorBodySchema, failure.body);
  if (parsed === undefined) return {};
  const { base_resp: status, error } = parsed;
  if (status !== undefined && status.status_code !== 0) {
    return { kind: kindOfMiniMaxCode(status.status_code), message: `status_code ${status.status_code}: ${status.status_msg ?? 'no message'}` };
  }
  return error?.message === undefined ? {} : { message: error.message };
}
