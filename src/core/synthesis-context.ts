/** Who asked for a synthesis and through which path: what spend, logs and guardrails attribute it to. */
export interface SynthesisContext {
  readonly requestId: string;
  readonly source: 'sync' | 'job';
  /** The key's id (never the key itself); `master` or `anonymous` for those. */
  readonly keyId: string;
  /** OpenAI's `user` field or the `x-end-user-id` header. */
  readonly endUser?: string;
  readonly jobId?: string;
  readonly itemIndex?: number;
}

/**
 * Checks (and may rewrite) input text before any provider sees it. Throws an `ApiError`
 * (400 with a code naming the guardrail) to block.
 */
export interface InputGuard {
  check(input: string, context: SynthesisContext & { readonly model: string }): Promise<string>;
}

/** The outcome of one synthesis, once its audio has ended (or failed). */
export interface SynthesisRecord {
  readonly context: SynthesisContext;
  readonly model: string;
  readonly deploymentId: string | undefined;
  readonly provider: string | undefined;
  readonly characters: number;
  readonly costUsd: number;
  readonly status: 'success' | 'error' | 'cancelled';
  /** The error code the client saw, for failures. */
  readonly errorCode?: string;
  readonly attempts: number;
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly firstByteMs: number | undefined;
  readonly audioBytes: number;
  /** Served from the speech cache: no provider was called and nothing was spent. */
  readonly cacheHit?: boolean;
  /** The cache entry served, on a hit. */
  readonly cacheKey?: string;
}

/** Receives every synthesis outcome (spend logs, metrics). Must not throw or block. */
export interface SynthesisRecorder {
  record(record: SynthesisRecord): void;
}
