import type { RouterSettings } from '../config/schema.js';
import type { Deployment, ModelCatalog } from '../core/catalog.js';
import { isProviderError, ProviderError } from '../providers/spec/errors.js';
import type { AttemptRecord } from './attempts.js';
import { AllDeploymentsFailedError, NoDeploymentAvailableError } from './routing-errors.js';

export interface RouteRequest {
  readonly modelName: string;
  readonly inputCharacters: number;
  readonly signal: AbortSignal;
}

export interface RouteResult<T> {
  readonly value: T;
  readonly deployment: Deployment;
  readonly attempts: readonly AttemptRecord[];
}

/** Runs one attempt on a deployment; resolves once the attempt has produced its first audio. */
export type Attempt<T> = (deployment: Deployment, signal: AbortSignal) => Promise<T>;

/** Decides which deployment serves each call and what happens when one fails. */
export interface Router {
  route<T>(request: RouteRequest, attempt: Attempt<T>): Promise<RouteResult<T>>;
}

export interface RouterDependencies {
  readonly catalog: ModelCatalog;
  readonly settings: RouterSettings;
  readonly random: () => number;
  readonly now: () => number;
}

/**
 * Weighted shuffle over a group's deployments: each is tried at most once per call, in an
 * order drawn by weight, until one produces audio or an error says retrying cannot help.
 */
export function createRouter(dependencies: RouterDependencies): Router {
  const { catalog, settings } = dependencies;
  return {
    async route(request, attempt) {
      const group = catalog.group(request.modelName) ?? [];
      const eligible = group.filter((deployment) => deployment.maxInputCharacters >= request.inputCharacters);
      if (eligible.length === 0) {
        throw new NoDeploymentAvailableError(request.modelName, `no deployment of "${request.modelName}" accepts ${request.inputCharacters} characters`, undefined);
      }
      const order = weightedShuffle(eligible, dependencies.random);
      const maxAttempts = Math.min(order.length, settings.num_retries + 1);
      const attempts: AttemptRecord[] = [];
      let lastError: unknown;
      for (const deployment of order.slice(0, maxAttempts)) {
        request.signal.throwIfAborted();
        const started = dependencies.now();
        const deadline = firstByteDeadline(request.signal, timeoutSeconds(deployment, settings));
        try {
          const value = await attempt(deployment, deadline.signal);
          deadline.clear();
          attempts.push(record(deployment, 'success', dependencies.now() - started));
          return { value, deployment, attempts };
        } catch (thrown) {
          deadline.clear();
          request.signal.throwIfAborted();
          const error = deadline.signal.aborted && !isProviderError(thrown)
            ? new ProviderError({ kind: 'timeout', provider: deployment.provider, message: `no audio within ${String(timeoutSeconds(deployment, settings))} s`, cause: thrown })
            : thrown;
          attempts.push(record(deployment, isProviderError(error) ? error.kind : 'error', dependencies.now() - started));
          lastError = error;
          if (isProviderError(error) && !error.retryable) break;
        }
      }
      throw new AllDeploymentsFailedError(request.modelName, attempts, lastError);
    },
  };
}

function timeoutSeconds(deployment: Deployment, settings: RouterSettings): number | undefined {
  return deployment.params.timeout ?? settings.timeout;
}

/**
 * A signal for one attempt that aborts with a `TimeoutError` if the attempt has not produced
 * its first audio in time. Once audio flows the timer is cleared: a long clip may stream for
 * minutes, and only the client's disconnect should stop it then.
 */
function firstByteDeadline(parent: AbortSignal, seconds: number | undefined): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const forward = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', forward, { once: true });
  const timer = seconds === undefined ? undefined : setTimeout(() => controller.abort(new DOMException(`no audio within ${seconds} s`, 'TimeoutError')), seconds * 1000);
  return {
    signal: controller.signal,
    clear: () => {
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

function record(deployment: Deployment, outcome: string, durationMs: number): AttemptRecord {
  return { deploymentId: deployment.id, provider: deployment.provider, modelName: deployment.modelName, outcome, durationMs };
}

/** LiteLLM's simple-shuffle weights: `weight`, else `rpm`, else `tpm`, else equal. */
function weightOf(deployment: Deployment): number {
  return deployment.params.weight ?? deployment.params.rpm ?? deployment.params.tpm ?? 1;
}

function weightedShuffle(deployments: readonly Deployment[], random: () => number): Deployment[] {
  const pool = [...deployments];
  const order: Deployment[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, deployment) => sum + weightOf(deployment), 0);
    let pick = random() * total;
    let index = pool.findIndex((deployment) => (pick -= weightOf(deployment)) < 0);
    if (index === -1) index = pool.length - 1;
    order.push(...pool.splice(index, 1));
  }
  return order;
}
