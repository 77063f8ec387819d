/**
 * The one error type every provider adapter throws. The router decides what to do from
 * `kind`, `retryable` and `retryAfterMs`; the HTTP layer maps it to OpenAI's envelope.
 */
const PROVIDER_ERROR_KINDS = [
  'rate_limited',
  'unavailable',
  'timeout',
  'auth',
  'invalid_request',
  'content_rejected',
  'unsupported',
  'quota_exceeded',
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

const RETRYABLE_BY_DEFAULT: Record<ProviderErrorKind, boolean> = {
  rate_limited: true,
  unavailable: true,
  timeout: true,
  auth: false,
  invalid_request: false,
  content_rejected: false,
  unsupported: false,
  // A spent quota does not come back by retrying in a few seconds.
  quota_exceeded: false,
};

export interface ProviderErrorOptions {
  readonly kind: ProviderErrorKind;
  readonly message: string;
  readonly provider: string;
  readonly status?: number;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly upstreamRequestId?: string;
  /**
   * The upstream's own word on retrying this call now (OpenAI's `x-should-retry`, as openai-node
   * honours it): the router retries on true what the kind would not, and stops on false what it
   * would. It says nothing of a job item tried again later, so `retryable` keeps the kind's default.
   */
  readonly shouldRetry?: boolean;
  readonly cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly upstreamRequestId: string | undefined;
  readonly shouldRetry: boolean | undefined;

  constructor(options: ProviderErrorOptions) {
    super(options.message, { cause: options.cause });
    this.kind = options.kind;
    this.provider = options.provider;
    this.status = options.status;
    this.shouldRetry = options.shouldRetry;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[options.kind];
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamRequestId = options.upstreamRequestId;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
