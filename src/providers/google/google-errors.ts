import { z } from 'zod';
import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';
import { parseProtobufDuration } from '../shared/retry-after.js';
import type { ProviderErrorKind } from '../spec/errors.js';
import { parseJsonBody } from '../shared/json-body.js';

/**
 * Google's JSON error envelope, shared by the Gemini API, Vertex AI and Cloud Text-to-Speech:
 * `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}}`, where
 * `status` is a canonical `google.rpc.Code` name and `details` holds typed `google.rpc`
 * messages (https://cloud.google.com/apis/design/errors#error_model). Only the fields read here
 * are validated; a body that does not match falls back to the HTTP status.
 */
const detailSchema = z.looseObject({
  '@type': z.string(),
  /** google.rpc.RetryInfo */
  retryDelay: z.string().optional(),
  /** google.rpc.ErrorInfo */
  reason: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  /** google.rpc.QuotaFailure */
  violations: z
    .array(
      z.looseObject({ quotaId: z.string().optional(), quotaMetric: z.string().optional(), description: z.string().optional(), subject: z.string().optional() }),
    )
    .optional(),
});

const envelopeSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(detailSchema).optional(),
  }),
});

type GoogleErrorDetail = z.infer<typeof detailSchema>;
export type GoogleError = z.infer<typeof envelopeSchema>['error'];

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure';

/** Canonical codes whose meaning does not depend on the details. */
const KIND_BY_STATUS: Readonly<Record<string, ProviderErrorKind>> = {
  INVALID_ARGUMENT: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  NOT_FOUND: 'invalid_request',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'unavailable',
  UNKNOWN: 'unavailable',
  ABORTED: 'unavailable',
  CANCELLED: 'unavailable',
  // "User location is not supported for the API use" and similar: the deployment cannot serve
  // from here, which another deployment may well do.
  FAILED_PRECONDITION: 'unavailable',
  DEADLINE_EXCEEDED: 'timeout',
};

/** ErrorInfo reasons that say the credential itself is bad, whatever the status says. */
const CREDENTIAL_REASONS = new Set([
  'API_KEY_INVALID',
  'API_KEY_SERVICE_BLOCKED',
  'ACCESS_TOKEN_EXPIRED',
  'ACCESS_TOKEN_TYPE_UNSUPPORTED',
  'CREDENTIALS_MISSING',
  'SERVICE_DISABLED',
]);

/** Quotas that reset daily (or a limit of 0: the tier has none) do not come back within seconds. */
const LASTING_QUOTA = /per[ _]?day|daily|limit: 0\b/i;

/**
 * Cloud TTS's Gemini voices and Vertex refuse harmful prompts with INVALID_ARGUMENT and this
 * wording rather than a dedicated status [wording not confirmed for every model].
 */
const SAFETY_WORDING = /sensitive or harmful content|blocked by (?:the )?safety|responsible ai/i;

export function parseGoogleError(body: string): GoogleError | undefined {
  // Some Google front ends wrap the envelope in a one-element array.
  const parsed = parseJsonBody(z.union([envelopeSchema, z.tuple([envelopeSchema]).rest(z.unknown())]), body);
  if (parsed === undefined) return undefined;
  return Array.isArray(parsed) ? parsed[0].error : parsed.error;
}

/** The `ProviderError` reading of a Google error: kind from the canonical status and details, retry hint from RetryInfo. */
export function classifyGoogleError(error: GoogleError): FailureReading {
  const details = error.details ?? [];
  const retryDelay = details.find((detail) => detail['@type'] === RETRY_INFO)?.retryDelay;
  const retryAfterMs = retryDelay === undefined ? undefined : parseProtobufDuration(retryDelay);
  const reasons = details.filter((detail) => detail['@type'] === ERROR_INFO).map((detail) => detail.reason ?? '');
  const status = error.status ?? '';
  const message = error.message ?? status;

  let kind: ProviderErrorKind | undefined = KIND_BY_STATUS[status];
  if (status === 'RESOURCE_EXHAUSTED') kind = isLastingQuota(error, details) ? 'quota_exceeded' : 'rate_limited';
  if (reasons.some((reason) => CREDENTIAL_REASONS.has(reason))) kind = 'auth';
  if (status === 'INVALID_ARGUMENT' && SAFETY_WORDING.test(message)) kind = 'content_rejected';
  return {
    message: status === '' ? message : `${status}: ${message}`,
    ...(kind === undefined ? {} : { kind }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/**
 * RESOURCE_EXHAUSTED covers both a per-minute rate limit and a spent quota, and Google words
 * both as "You exceeded your current quota" with a QuotaFailure detail, so neither the word
 * "quota" nor the detail alone tells them apart. What does: the violated quota's id or metric
 * (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`, ErrorInfo `quota_limit`), or a
 * message naming a daily limit (`…_per_day_…` on Vertex) or a limit of 0.
 */
function isLastingQuota(error: GoogleError, details: readonly GoogleErrorDetail[]): boolean {
  if (LASTING_QUOTA.test(error.message ?? '')) return true;
  return details.some((detail) => {
    if (detail['@type'] === QUOTA_FAILURE) {
      return (detail.violations ?? []).some((violation) =>
        LASTING_QUOTA.test(`${violation.quotaId ?? ''} ${violation.quotaMetric ?? ''} ${violation.description ?? ''}`),
      );
    }
    if (detail['@type'] === ERROR_INFO) {
      return LASTING_QUOTA.test(`${detail.metadata?.['quota_limit'] ?? ''} ${detail.metadata?.['quota_metric'] ?? ''}`);
    }
    return false;
  });
}

/** `callUpstream`'s `readFailure` for every Google API. */
export function readGoogleFailure(failure: UpstreamFailure): FailureReading {
  const error = parseGoogleError(failure.body);
  return error === undefined ? {} : classifyGoogleError(error);
}
