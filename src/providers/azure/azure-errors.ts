import { readOpenAIFailure } from '../openai/openai-errors.js';
import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';
import { parseRetryAfter } from '../shared/retry-after.js';

/**
 * Azure OpenAI names each call in `apim-request-id` (its API gateway's id, the one support asks
 * for) and passes the model service's `x-request-id` on; other Azure front ends use `x-ms-request-id`.
 */
export const AZURE_REQUEST_ID_HEADERS = ['apim-request-id', 'x-request-id', 'x-ms-request-id'] as const;

/**
 * Azure's throttling text carries the wait when its headers do not: "…Please retry after 7
 * seconds…" or "Rate limit is exceeded. Try again in 2 seconds."
 */
const RETRY_IN_MESSAGE = /(?:retry after|try again in)\s+(\d+(?:\.\d+)?)\s+seconds?/i;

export function retryAfterFromMessage(message: string | undefined): number | undefined {
  const match = message === undefined ? null : RETRY_IN_MESSAGE.exec(message);
  return match ? Math.round(Number.parseFloat(match[1] as string) * 1000) : undefined;
}

/**
 * Azure OpenAI errors are OpenAI's envelope (`{"error":{"code","message"}}`, sometimes an
 * `innererror`), read by the OpenAI reader; the headers win over the message for the wait.
 */
export function readAzureFailure(failure: UpstreamFailure): FailureReading {
  const reading = readOpenAIFailure(failure);
  if (failure.status !== 429) return reading;
  const retryAfterMs = parseRetryAfter(failure.headers) ?? retryAfterFromMessage(reading.message);
  return retryAfterMs === undefined ? reading : { ...reading, retryAfterMs };
}
