import { z } from 'zod';
import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';
import type { ProviderErrorKind } from '../spec/errors.js';
import { parseJsonBody } from '../shared/json-body.js';

/**
 * OpenAI's error envelope `{"error":{"message","type","param","code"}}`, also spoken by Azure
 * OpenAI (which leaves out `type` and may add `innererror.code`). Only the fields read here
 * are validated; `code` is sometimes a number (LiteLLM proxies put one there).
 */
const errorEnvelopeSchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    innererror: z.looseObject({ code: z.string().optional() }).optional(),
  }),
});

interface OpenAIErrorFields {
  readonly message: string | undefined;
  /** `type`, `code` and `innererror.code`, in that order, without the missing ones. */
  readonly codes: readonly string[];
}

function parseOpenAIError(body: string): OpenAIErrorFields | undefined {
  const parsed = parseJsonBody(errorEnvelopeSchema, body);
  if (parsed === undefined) return undefined;
  const { message, type, code, innererror } = parsed.error;
  const codes = [type, code, innererror?.code].filter((value) => value !== undefined && value !== null).map(String);
  return { message, codes };
}

/** Codes compared without case or separators: OpenAI writes `insufficient_quota`, Azure `InsufficientQuota`. */
const normalise = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');

const QUOTA_CODES = new Set(['insufficientquota']);
/**
 * OpenAI's moderation refusals (`content_policy_violation`, `moderation_blocked`) and Azure's
 * content filter (`content_filter`, inner `ResponsibleAIPolicyViolation`).
 */
const CONTENT_CODES = new Set(['contentpolicyviolation', 'moderationblocked', 'contentfilter', 'responsibleaipolicyviolation']);

/** The kind the body says more precisely than the status; undefined leaves the status mapping. */
function kindOfOpenAIError(status: number, codes: readonly string[]): ProviderErrorKind | undefined {
  const normalised = codes.map(normalise);
  // A spent quota also comes as 429, but waiting a few seconds will not bring it back.
  if (normalised.some((code) => QUOTA_CODES.has(code))) return 'quota_exceeded';
  if (status >= 400 && status < 500 && normalised.some((code) => CONTENT_CODES.has(code))) return 'content_rejected';
  // The model or deployment is the gateway's configuration, not the client's request: another deployment may serve.
  if (status === 404) return 'unavailable';
  // openai-node retries 409 (a lock timeout upstream), as it does 5xx.
  if (status === 409) return 'unavailable';
  return undefined;
}

/** `readFailure` for `callUpstream`; retry headers and the request id are read by the shared code. */
export function readOpenAIFailure(failure: UpstreamFailure): FailureReading {
  const shouldRetry = shouldRetryHeader(failure.headers.get('x-should-retry'));
  const directive = shouldRetry === undefined ? {} : { shouldRetry };
  const fields = parseOpenAIError(failure.body);
  if (fields === undefined) return directive;
  const kind = kindOfOpenAIError(failure.status, fields.codes);
  const code = fields.codes.at(-1);
  const message = fields.message === undefined ? undefined : code === undefined ? fields.message : `${fields.message} (${code})`;
  return { ...(kind === undefined ? {} : { kind }), ...(message === undefined ? {} : { message }), ...directive };
}

/**
 * `x-should-retry: true` or `false`: the server's own word, which openai-node puts before the
 * status when it decides to retry (`shouldRetry` in its client.ts). Anything else says nothing.
 */
function shouldRetryHeader(value: string | null): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
