import { networkFailure } from '../shared/http-call.js';
import { kindFromStatus } from '../shared/status-kind.js';
import { ProviderError, type ProviderErrorKind } from '../spec/errors.js';

export const POLLY_PROVIDER = 'aws_polly';

/**
 * Error codes (the SDK's `error.name`, from `x-amzn-ErrorType`) that say more than the status.
 * Polly answers throttling with HTTP 400, so the status alone would call it the client's fault.
 * https://docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html#API_SynthesizeSpeech_Errors
 * and https://docs.aws.amazon.com/polly/latest/dg/CommonErrors.html
 */
const KIND_BY_CODE: Readonly<Record<string, ProviderErrorKind>> = {
  ThrottlingException: 'rate_limited',
  Throttling: 'rate_limited',
  TooManyRequestsException: 'rate_limited',
  ServiceQuotaExceededException: 'quota_exceeded',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  IncompleteSignatureException: 'auth',
  MissingAuthenticationTokenException: 'auth',
  InvalidClientTokenId: 'auth',
  ExpiredTokenException: 'auth',
  AccessDeniedException: 'auth',
  AccessDenied: 'auth',
  NotAuthorized: 'auth',
  ServiceFailureException: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  InternalFailure: 'unavailable',
  // A lexicon named in the deployment's config is missing: the gateway's fault, not the client's.
  LexiconNotFoundException: 'unavailable',
  TextLengthExceededException: 'invalid_request',
  InvalidSsmlException: 'invalid_request',
  InvalidSampleRateException: 'invalid_request',
  EngineNotSupportedException: 'invalid_request',
  LanguageNotSupportedException: 'invalid_request',
  ValidationException: 'invalid_request',
  SerializationException: 'invalid_request',
};

/** The fields of an SDK service exception this mapping reads. */
interface ServiceErrorShape {
  readonly name: string;
  readonly message: string;
  readonly $metadata: { readonly httpStatusCode?: number; readonly requestId?: string };
}

function isServiceError(error: unknown): error is ServiceErrorShape {
  if (!(error instanceof Error)) return false;
  const metadata = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null && typeof (metadata as { httpStatusCode?: unknown }).httpStatusCode === 'number';
}

export function kindOfPollyError(code: string, status: number): ProviderErrorKind {
  return KIND_BY_CODE[code] ?? kindFromStatus(status);
}

/**
 * Any failure of the SDK call as a `ProviderError`; a cancellation by our caller is returned
 * unchanged, and the deadline's abort (a `TimeoutError` reason) becomes a timeout.
 */
export function toPollyError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return networkFailure(POLLY_PROVIDER, error, signal);
  if (isServiceError(error)) {
    const status = error.$metadata.httpStatusCode ?? 500;
    const requestId = error.$metadata.requestId;
    return new ProviderError({
      kind: kindOfPollyError(error.name, status),
      provider: POLLY_PROVIDER,
      status,
      message: `${error.name}: ${error.message}`,
      cause: error,
      ...(requestId === undefined ? {} : { upstreamRequestId: requestId }),
    });
  }
  if (error instanceof Error && error.name === 'CredentialsProviderError') {
    return new ProviderError({ kind: 'auth', provider: POLLY_PROVIDER, message: `no AWS credentials: ${error.message}`, cause: error });
  }
  return networkFailure(POLLY_PROVIDER, error, signal);
}
