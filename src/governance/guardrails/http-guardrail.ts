import type { Logger } from 'pino';
import { z } from 'zod';
import { guardrailBlocked, guardrailUnavailable, type Guardrail } from './guardrail.js';

export interface HttpGuardrailOptions {
  readonly url: string;
  readonly apiKey: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly failOpen: boolean;
}

/** What the guardrail service answers. */
const verdictSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('allow') }),
  z.object({ action: z.literal('block'), reason: z.string().optional() }),
  z.object({ action: z.literal('rewrite'), text: z.string().min(1) }),
]);

/**
 * Asks an HTTP service about the text: `POST {input, model, guardrail, request_id, end_user}`,
 * answered by `{action: "allow"}`, `{action: "block", reason}` or `{action: "rewrite", text}`.
 * A timeout, an error status or an answer of another shape lets the text through when
 * `fail_open` is set, else refuses it.
 */
export function createHttpGuardrail(name: string, options: HttpGuardrailOptions, fetch: typeof globalThis.fetch, logger: Logger): Guardrail {
  return {
    name,
    async apply(text, context) {
      let verdict: z.infer<typeof verdictSchema>;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...options.headers,
            ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
          },
          body: JSON.stringify({
            guardrail: name,
            input: text,
            model: context.model,
            request_id: context.requestId,
            end_user: context.endUser ?? null,
            source: context.source,
          }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (!response.ok) throw new Error(`status ${response.status}`);
        verdict = verdictSchema.parse(await response.json());
      } catch (error) {
        const reason =
          error instanceof z.ZodError
            ? 'an answer of an unknown shape'
            : error instanceof Error && error.name === 'TimeoutError'
              ? `no answer within ${options.timeoutMs} ms`
              : error instanceof Error
                ? error.message
                : String(error);
        logger.warn({ requestId: context.requestId, guardrail: name, reason, failOpen: options.failOpen }, 'guardrail service failed');
        if (options.failOpen) return text;
        throw guardrailUnavailable(name, reason);
      }
      if (verdict.action === 'block') throw guardrailBlocked(name, verdict.reason ?? 'refused by the guardrail service');
      return verdict.action === 'rewrite' ? verdict.text : text;
    },
  };
}
