import { guardrailBlocked, type Guardrail } from './guardrail.js';

export interface BlockedTermsOptions {
  readonly terms: readonly string[];
  readonly patterns: readonly string[];
  readonly caseSensitive: boolean;
  readonly action: 'block' | 'mask';
  readonly maskWith: string;
}

/** Terms match as whole words (so "ass" does not block "class"); patterns are regular expressions. */
export function createBlockedTermsGuardrail(name: string, options: BlockedTermsOptions): Guardrail {
  const flags = options.caseSensitive ? 'gu' : 'giu';
  const expressions = [
    ...options.terms.map((term) => new RegExp(`${/^\w/u.test(term) ? '\\b' : ''}${escapeRegExp(term)}${/\w$/u.test(term) ? '\\b' : ''}`, flags)),
    ...options.patterns.map((pattern) => new RegExp(pattern, flags)),
  ];
  return {
    name,
    async apply(text) {
      let result = text;
      for (const expression of expressions) {
        expression.lastIndex = 0;
        if (!expression.test(result)) continue;
        // The matched text is not echoed: it may be exactly what should not be repeated.
        if (options.action === 'block') throw guardrailBlocked(name, 'it contains a blocked term');
        expression.lastIndex = 0;
        result = result.replace(expression, options.maskWith);
      }
      return result;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
