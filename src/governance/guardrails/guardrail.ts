import { ApiError } from '../../domain/errors.js';
import type { InputGuard, SynthesisContext } from '../../core/synthesis-context.js';

export type GuardContext = SynthesisContext & { readonly model: string };

/** One named check on the input text: returns the text (perhaps rewritten) or throws to block. */
export interface Guardrail {
  readonly name: string;
  apply(text: string, context: GuardContext): Promise<string>;
}

/** A block: 400 with a code that names the guardrail, so a client can tell which rule refused it. */
export function guardrailBlocked(name: string, reason: string): ApiError {
  return new ApiError({
    status: 400,
    type: 'invalid_request_error',
    param: 'input',
    code: `guardrail_blocked:${name}`,
    message: `The input was blocked by the guardrail '${name}': ${reason}`,
  });
}

/** The guardrail itself could not answer and is configured to fail closed: not the client's fault. */
export function guardrailUnavailable(name: string, reason: string): ApiError {
  return new ApiError({
    status: 503,
    type: 'server_error',
    code: `guardrail_unavailable:${name}`,
    message: `The guardrail '${name}' could not check the input (${reason}); it is set to fail closed.`,
  });
}

/** Runs checks in order, each on the text the previous one returned. */
export function chainInputGuards(guards: readonly InputGuard[]): InputGuard {
  return {
    async check(input, context) {
      let text = input;
      for (const guard of guards) text = await guard.check(text, context);
      return text;
    },
  };
}

export function guardrailsAsInputGuard(guardrails: readonly Guardrail[]): InputGuard {
  return chainInputGuards(guardrails.map((guardrail) => ({ check: (text, context) => guardrail.apply(text, context) })));
}
