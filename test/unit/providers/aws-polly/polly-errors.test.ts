import {
  EngineNotSupportedException,
  ServiceFailureException,
  ServiceQuotaExceededException,
  TextLengthExceededException,
  ThrottlingException,
} from '@aws-sdk/client-polly';
import { describe, expect, it } from 'vitest';
import { kindOfPollyError, toPollyError } from '../../../../src/providers/aws-polly/polly-errors.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';

const idle = (): AbortSignal => new AbortController().signal;

describe('Polly error mapping', () => {
  it.each([
    ['ThrottlingException', 400, 'rate_limited'],
    ['ServiceQuotaExceededException', 402, 'quota_exceeded'],
    ['UnrecognizedClientException', 403, 'auth'],
    ['InvalidSignatureException', 403, 'auth'],
    ['AccessDeniedException', 403, 'auth'],
    ['ServiceFailureException', 500, 'unavailable'],
    ['TextLengthExceededException', 400, 'invalid_request'],
    ['InvalidSsmlException', 400, 'invalid_request'],
    ['EngineNotSupportedException', 400, 'invalid_request'],
    ['LexiconNotFoundException', 404, 'unavailable'],
    ['SomethingNew', 503, 'unavailable'],
    ['SomethingNew', 429, 'rate_limited'],
    ['SomethingNew', 400, 'invalid_request'],
  ] as const)('%s (HTTP %i) is %s', (code, status, kind) => {
    expect(kindOfPollyError(code, status)).toBe(kind);
  });

  it('reads the SDK’s exceptions: kind, status, request id, retryable', () => {
    const throttled = toPollyError(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400, requestId: 'req-1' } }), idle());
    expect(throttled).toBeInstanceOf(ProviderError);
    expect(throttled).toMatchObject({ kind: 'rate_limited', status: 400, retryable: true, upstreamRequestId: 'req-1', provider: 'aws_polly' });
    expect((throttled as ProviderError).message).toContain('ThrottlingException: Rate exceeded');
    expect(toPollyError(new TextLengthExceededException({ message: 'too long', $metadata: { httpStatusCode: 400 } }), idle())).toMatchObject({
      kind: 'invalid_request',
      retryable: false,
    });
    expect(toPollyError(new EngineNotSupportedException({ message: 'no', $metadata: { httpStatusCode: 400 } }), idle())).toMatchObject({
      kind: 'invalid_request',
    });
    expect(
      toPollyError(
        new ServiceQuotaExceededException({
          message: 'quota',
          $metadata: { httpStatusCode: 402 },
          quotaCode: 'input-stream-inbound-event-timeout',
          serviceCode: 'polly',
        }),
        idle(),
      ),
    ).toMatchObject({ kind: 'quota_exceeded', retryable: false });
    expect(toPollyError(new ServiceFailureException({ message: 'boom', $metadata: { httpStatusCode: 500 } }), idle())).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });

  it('turns the router’s deadline into a timeout', () => {
    const controller = new AbortController();
    controller.abort(new DOMException('no audio within 1 s', 'TimeoutError'));
    const abortError = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toPollyError(abortError, controller.signal)).toMatchObject({ kind: 'timeout' });
  });

  it('rethrows a cancellation by the client as it is', () => {
    const controller = new AbortController();
    controller.abort();
    const abortError = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toPollyError(abortError, controller.signal)).toBe(abortError);
  });

  it('calls missing credentials an auth failure and a network failure unavailable', () => {
    expect(toPollyError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), idle())).toMatchObject(
      { kind: 'auth' },
    );
    expect(toPollyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), idle())).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });
});
