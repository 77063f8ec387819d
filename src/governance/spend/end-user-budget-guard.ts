import type { InputGuard } from '../../core/synthesis-context.js';
import { budgetExceeded, formatUsd } from '../keys/key-admission.js';
import type { SpendStore } from './spend-store.js';

export interface EndUserBudgetDependencies {
  readonly spend: SpendStore;
  /** USD an end user may spend (LiteLLM's `litellm_settings.max_end_user_budget`). */
  readonly maxBudget: number;
  readonly durationMs: number | undefined;
  readonly now: () => number;
}

/**
 * Refuses work for an end user past their budget. It runs as the first input check inside
 * `synthesize`, which is where the end user is known for both sync requests and job items.
 */
export function createEndUserBudgetGuard(dependencies: EndUserBudgetDependencies): InputGuard {
  return {
    async check(input, context) {
      if (context.endUser === undefined) return input;
      const now = dependencies.now();
      const window = await dependencies.spend.budgetWindow({ kind: 'end_user', id: context.endUser }, dependencies.durationMs, now);
      if (window.spend >= dependencies.maxBudget) {
        throw budgetExceeded(
          `Budget has been exceeded for end user '${context.endUser}': spent $${formatUsd(window.spend)} of $${formatUsd(dependencies.maxBudget)} (litellm_settings.max_end_user_budget).`,
          window.resetAt === undefined ? undefined : Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
        );
      }
      return input;
    },
  };
}
