import type { AllowedFailsPolicy, RetryPolicy, RouterSettings } from '../config/schema.js';
import { isProviderError } from '../providers/spec/errors.js';

/** The LiteLLM exception classes its `retry_policy` and `allowed_fails_policy` are keyed by. */
export type LitellmErrorClass =
  | 'AuthenticationError'
  | 'TimeoutError'
  | 'RateLimitError'
  | 'InternalServerError'
  | 'ContentPolicyViolationError'
  | 'BadRequestError';

/**
 * The classes a failure belongs to, most specific first, as LiteLLM's exception mapping
 * would raise it: a content-policy refusal is also a bad request (LiteLLM's
 * `ContentPolicyViolationError` subclasses `BadRequestError`). A 404 (LiteLLM's `NotFoundError`),
 * a 503 (`ServiceUnavailableError`) and the gateway's own `unsupported` belong to none.
 */
export function errorClassesOf(error: unknown): readonly LitellmErrorClass[] {
  if (!isProviderError(error)) return [];
  switch (error.kind) {
    case 'auth':
      return ['AuthenticationError'];
    case 'timeout':
      return ['TimeoutError'];
    case 'rate_limited':
    case 'quota_exceeded':
      // LiteLLM raises RateLimitError for every 429, a spent quota included.
      return ['RateLimitError'];
    case 'unavailable':
      return error.status === 503 ? [] : ['InternalServerError'];
    case 'content_rejected':
      return ['ContentPolicyViolationError', 'BadRequestError'];
    case 'invalid_request':
      return error.status === 404 ? [] : ['BadRequestError'];
    case 'unsupported':
      return [];
  }
}

const RETRIES_KEY: Record<LitellmErrorClass, keyof RetryPolicy> = {
  AuthenticationError: 'AuthenticationErrorRetries',
  TimeoutError: 'TimeoutErrorRetries',
  RateLimitError: 'RateLimitErrorRetries',
  InternalServerError: 'InternalServerErrorRetries',
  ContentPolicyViolationError: 'ContentPolicyViolationErrorRetries',
  BadRequestError: 'BadRequestErrorRetries',
};

const ALLOWED_FAILS_KEY: Record<LitellmErrorClass, keyof AllowedFailsPolicy> = {
  AuthenticationError: 'AuthenticationErrorAllowedFails',
  TimeoutError: 'TimeoutErrorAllowedFails',
  RateLimitError: 'RateLimitErrorAllowedFails',
  InternalServerError: 'InternalServerErrorAllowedFails',
  ContentPolicyViolationError: 'ContentPolicyViolationErrorAllowedFails',
  BadRequestError: 'BadRequestErrorAllowedFails',
};

/**
 * LiteLLM's `get_num_retries_from_retry_policy`: the group's entry in `model_group_retry_policy`
 * replaces `retry_policy` whole; within it, the failure's most specific class that has a count
 * decides. Undefined when no policy names the class, so `num_retries` applies.
 * `groupNames` are the name the call used (an alias) and the group it resolved to, in that order.
 */
export function retriesFromPolicy(error: unknown, groupNames: readonly string[], settings: RouterSettings): number | undefined {
  const groupPolicy = groupNames.map((name) => settings.model_group_retry_policy[name]).find((policy) => policy !== undefined);
  const policy = groupPolicy ?? settings.retry_policy;
  if (policy === undefined) return undefined;
  return errorClassesOf(error)
    .map((errorClass) => policy[RETRIES_KEY[errorClass]])
    .find((count) => count !== undefined);
}

/** LiteLLM's `get_allowed_fails_from_policy`: failures of this class a deployment may have before it cools down. */
export function allowedFailsFromPolicy(error: unknown, settings: RouterSettings): number | undefined {
  const policy = settings.allowed_fails_policy;
  if (policy === undefined) return undefined;
  return errorClassesOf(error)
    .map((errorClass) => policy[ALLOWED_FAILS_KEY[errorClass]])
    .find((count) => count !== undefined);
}
