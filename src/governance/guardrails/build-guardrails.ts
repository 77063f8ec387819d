import type { Logger } from 'pino';
import type { GuardrailConfig } from '../../config/sections/guardrails.js';
import { createBlockedTermsGuardrail } from './blocked-terms.js';
import type { Guardrail } from './guardrail.js';
import { createHttpGuardrail } from './http-guardrail.js';
import { createMaxLengthGuardrail } from './max-length.js';
import { createPiiMaskGuardrail } from './pii-mask.js';

/** The configured guardrails that run on every request, in config order. */
export function buildGuardrails(configs: readonly GuardrailConfig[], fetch: typeof globalThis.fetch, logger: Logger): Guardrail[] {
  const guardrails: Guardrail[] = [];
  for (const { guardrail_name: name, litellm_params: params } of configs) {
    if (!params.default_on) {
      // Requests cannot choose guardrails yet, so an opt-in guardrail would never run: say so.
      logger.warn({ guardrail: name }, 'guardrail has default_on: false and requests cannot select guardrails; it will not run');
      continue;
    }
    switch (params.guardrail) {
      case 'max_length':
        guardrails.push(createMaxLengthGuardrail(name, params.max_length));
        break;
      case 'blocked_terms':
        guardrails.push(
          createBlockedTermsGuardrail(name, {
            terms: params.blocked_terms,
            patterns: params.patterns,
            caseSensitive: params.case_sensitive,
            action: params.action,
            maskWith: params.mask_with,
          }),
        );
        break;
      case 'pii_mask':
        guardrails.push(createPiiMaskGuardrail(name, params.entities, params.action));
        break;
      case 'http':
        guardrails.push(
          createHttpGuardrail(
            name,
            { url: params.api_base, apiKey: params.api_key, headers: params.headers, timeoutMs: params.timeout * 1000, failOpen: params.fail_open },
            fetch,
            logger,
          ),
        );
        break;
    }
  }
  return guardrails;
}
