import type { FailureReading, UpstreamFailure } from '../shared/http-call.js';

/**
 * Azure AI Speech answers failures with a bare status and an empty or plain-text body, so
 * the status carries the meaning. What each one means, per the REST reference:
 * https://learn.microsoft.com/azure/ai-services/speech-service/rest-text-to-speech#http-status-codes
 */
const STATUS_MEANING: Readonly<Record<number, string>> = {
  400: 'Azure rejected the request: a required parameter is missing, empty or invalid, or a header is too long',
  401: 'Azure refused the credentials: a wrong key or an expired token, or a key of another region than the endpoint',
  403: 'Azure refused access to the resource',
  415: 'Azure refused the Content-Type (it must be application/ssml+xml)',
  429: 'Azure rate limit or quota for the resource exceeded',
  502: 'Azure had a network or server-side problem',
  503: 'Azure had a server-side problem',
};

/**
 * Cognitive Services resources on the free tier answer an exhausted monthly allowance with
 * 403 "Out of call volume quota ..." rather than 429; only the text tells it apart.
 */
const QUOTA_TEXT = /out of call volume quota|quota (?:is )?exceeded|exceeded (?:the|your) quota/i;

export function readAzureSpeechFailure(failure: UpstreamFailure): FailureReading {
  const text = failure.body.trim();
  const meaning = STATUS_MEANING[failure.status] ?? `Azure answered HTTP ${failure.status}`;
  const message = text === '' ? meaning : `${meaning}: ${text}`;
  if (failure.status === 403 && QUOTA_TEXT.test(text)) return { kind: 'quota_exceeded', message };
  return { message };
}
