import type { InjectedFailure } from '../fake-server.js';
import { azureError, openAIError, type FakeErrorAnswer } from './wire.js';

/** Retry hints when a test gives none: OpenAI's request budget resets in 6 s, Azure's message says 3 s. */
export const DEFAULT_OPENAI_RESET_SECONDS = 6;
export const DEFAULT_AZURE_RETRY_SECONDS = 3;

/** SDK clients retry 429 and 5xx on their own; this header stops them, so tests see the first answer. */
const NO_SDK_RETRY = { 'x-should-retry': 'false' };

const serverError = (status: number, shouldRetry = false): FakeErrorAnswer =>
  openAIError(
    status,
    { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
    shouldRetry ? { 'x-should-retry': 'true' } : NO_SDK_RETRY,
  );

/** OpenAI's servers may tell a client to retry what its status says not to: `x-should-retry: true`. */
const tooLong = (shouldRetry = false): FakeErrorAnswer =>
  openAIError(
    400,
    {
      message: "[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at most 4096 characters'}]",
      type: 'invalid_request_error',
      param: 'input',
      code: 'string_above_max_length',
    },
    shouldRetry ? { 'x-should-retry': 'true' } : {},
  );

const quota = (): FakeErrorAnswer =>
  openAIError(
    429,
    {
      message:
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    },
    NO_SDK_RETRY,
  );

/**
 * An injected failure as api.openai.com answers it. A 429 with a hint carries `retry-after`,
 * `retry-after-ms` and the reset headers; without one, only the `x-ratelimit-*` headers say when.
 */
export function openAIFailure(failure: InjectedFailure, model: string): FakeErrorAnswer | undefined {
  switch (failure.kind) {
    case 'rate_limited': {
      const seconds = failure.retryAfterSeconds;
      const reset = seconds ?? DEFAULT_OPENAI_RESET_SECONDS;
      const hint: Record<string, string> = seconds === undefined ? {} : { 'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000) };
      return openAIError(
        429,
        {
          message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 50, Used 50, Requested 1. Please try again in ${reset}s.`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
        {
          ...NO_SDK_RETRY,
          ...hint,
          'x-ratelimit-limit-requests': '50',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': `${reset}s`,
          'x-ratelimit-limit-tokens': '2000000',
          'x-ratelimit-remaining-tokens': '1999000',
          'x-ratelimit-reset-tokens': '30ms',
        },
      );
    }
    case 'quota_exceeded':
      return quota();
    case 'server_error':
      return serverError(failure.status ?? 500, failure.shouldRetry);
    case 'unavailable':
      return openAIError(
        503,
        { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null },
        NO_SDK_RETRY,
      );
    case 'auth':
      return openAIError(401, {
        message: 'Incorrect API key provided: sk-revo*****oked. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      });
    case 'bad_request':
      return tooLong(failure.shouldRetry);
    case 'content_rejected':
      return openAIError(400, {
        message: 'Your request was rejected as a result of our safety system. Your input may contain text that is not allowed by our safety system.',
        type: 'invalid_request_error',
        param: null,
        code: 'content_policy_violation',
      });
    case 'slow':
    case 'drop_mid_stream':
      return undefined;
  }
}

/**
 * An injected failure as Azure OpenAI answers it: its gateway's `{"error":{"code","message"}}`
 * for throttling, auth and outages; the model service's OpenAI envelope for a bad body. A 429
 * with a hint sends the headers too; without one, the wait is only in the message.
 */
export function azureFailure(failure: InjectedFailure, apiVersion: string): FakeErrorAnswer | undefined {
  switch (failure.kind) {
    case 'rate_limited': {
      const seconds = failure.retryAfterSeconds;
      const headers =
        seconds === undefined
          ? NO_SDK_RETRY
          : { ...NO_SDK_RETRY, 'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000), 'x-ratelimit-remaining-requests': '0' };
      return azureError(
        429,
        '429',
        `Requests to the Speech_Create Operation under Azure OpenAI API version ${apiVersion} have exceeded call rate limit of your current AIServices S0 pricing tier. Please retry after ${seconds ?? DEFAULT_AZURE_RETRY_SECONDS} seconds. Please contact Azure support service if you would like to further increase the default rate limit.`,
        headers,
      );
    }
    case 'quota_exceeded':
      // [uncertain] Azure passes the model service's quota refusal through; its code is OpenAI's.
      return quota();
    case 'server_error':
      return azureError(failure.status ?? 500, 'InternalServerError', 'The service encountered an internal error. Please retry.', NO_SDK_RETRY);
    case 'unavailable':
      return azureError(503, 'ServiceUnavailable', 'The service is temporarily unable to process your request. Please try again later.', NO_SDK_RETRY);
    case 'auth':
      return azureError(
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    case 'bad_request':
      return tooLong(failure.shouldRetry);
    case 'content_rejected':
      return {
        status: 400,
        body: {
          error: {
            code: 'content_filter',
            message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
            param: 'input',
            status: 400,
            innererror: {
              code: 'ResponsibleAIPolicyViolation',
              content_filter_result: {
                hate: { filtered: true, severity: 'high' },
                self_harm: { filtered: false, severity: 'safe' },
                sexual: { filtered: false, severity: 'safe' },
                violence: { filtered: false, severity: 'safe' },
              },
            },
          },
        },
      };
    case 'slow':
    case 'drop_mid_stream':
      return undefined;
  }
}
