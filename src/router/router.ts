import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RouterSettings } from '../config/schema.js';
import type { Deployment, ModelCatalog } from '../domain/catalog.js';
import { invalidRequest } from '../domain/errors.js';
import type { EventSink } from '../domain/events.js';
import { isProviderError, ProviderError } from '../providers/spec/errors.js';
import { type AttemptRecord, upstreamRequestIdOf } from './attempts.js';
import { attemptDeadline, sleep } from './attempt-deadline.js';
import { allowedFailsFromPolicy, retriesFromPolicy } from './error-class-policy.js';
import { cooldownMsOf, judgeFailure, retriedByPolicy } from './failure-policy.js';
import { fallbackPlan } from './fallback-plan.js';
import { AllDeploymentsFailedError, NoDeploymentAvailableError } from './routing-errors.js';
import { createLocalRouterState } from './state/local-router-state.js';
import { MINUTE_MS, type RouterState } from './state/router-state.js';
import { createStrategy, latencyTtlMs } from './strategies.js';

interface RouteRequest {
  readonly modelName: string;
  readonly inputCharacters: number;
  readonly signal: AbortSignal;
  /** The request's voice: only deployments that recognise it are tried. */
  readonly voice?: string;
  /** The client's own fallback groups, in order; they replace the configured ones. */
  readonly fallbacks?: readonly string[];
}

interface RouteResult<T> {
  readonly value: T;
  readonly deployment: Deployment;
  readonly attempts: readonly AttemptRecord[];
  /**
   * Tells the router the served call has ended; safe to call twice. With an error (the
   * upstream failed after the first byte), the failure counts against the deployment's health
   * like any other, though the call itself can no longer be retried.
   */
  readonly finish: (error?: unknown) => void;
}

/** Runs one attempt on a deployment; resolves once the attempt has produced its first audio. */
type Attempt<T> = (deployment: Deployment, signal: AbortSignal) => Promise<T>;

/** Decides which deployment serves each call and what happens when one fails. */
export interface Router {
  route<T>(request: RouteRequest, attempt: Attempt<T>): Promise<RouteResult<T>>;
}

export interface RouterDependencies {
  readonly catalog: ModelCatalog;
  readonly settings: RouterSettings;
  readonly random: () => number;
  readonly now: () => number;
  /** Cooldowns, in-flight calls, latencies and usage; local to this process when absent. */
  readonly state?: RouterState;
  readonly events?: EventSink;
  readonly logger?: Logger;
  /** Waits between retries of the same deployment; tests pass one that moves their clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The longest the router waits for a deployment to come back within one call (default 10 s). */
  readonly maxRetryWaitMs?: number;
}

const DEFAULT_MAX_RETRY_WAIT_MS = 10_000;
/** An in-flight mark outlives a process that died mid-call by at most this long. */
const IN_FLIGHT_HOLD_MS = 10 * 60_000;
/** Exponential backoff between retries of one deployment when it gave no hint. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8000;

/** What became of one model group within a call. */
type GroupOutcome<T> =
  | { readonly kind: 'served'; readonly result: RouteResult<T> }
  | { readonly kind: 'stopped'; readonly error: unknown }
  | { readonly kind: 'exhausted' }
  | { readonly kind: 'unavailable'; readonly retryAfterMs: number | undefined; readonly rateLimited: boolean }
  | { readonly kind: 'unfit'; readonly because: 'voice' | 'input' };

/** What one call has seen so far, across its groups. */
interface CallLog {
  readonly callId: string;
  readonly attempts: AttemptRecord[];
  lastError: unknown;
}

/**
 * LiteLLM's router for speech: picks a deployment of the group by the routing strategy, retries
 * on another healthy deployment at once (or waits for the same one when none is left), cools
 * failing deployments down, and falls back to other groups in order. Every attempt resolves at
 * the first audio byte, so everything here happens before the client has received anything.
 */
export function createRouter(dependencies: RouterDependencies): Router {
  const { catalog, settings } = dependencies;
  const state = dependencies.state ?? createLocalRouterState();
  const strategy = createStrategy(settings);
  const wait = dependencies.sleep ?? sleep;
  const maxRetryWaitMs = dependencies.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const emit = dependencies.events?.emit.bind(dependencies.events) ?? (() => undefined);

  const recognises = (deployment: Deployment, voice: string | undefined): boolean =>
    voice === undefined || deployment.adapter.recognizesVoice?.(voice) !== false;

  async function coolDown(deployment: Deployment, ms: number, reason: 'rate_limited' | 'auth' | 'quota_exceeded' | 'failures', now: number): Promise<void> {
    if (settings.disable_cooldowns || ms <= 0) return;
    await state.coolDown(deployment.id, { untilMs: now + ms, reason }, now);
    emit({ type: 'cooldown', modelName: deployment.modelName, deploymentId: deployment.id, seconds: ms / 1000, reason });
    dependencies.logger?.debug({ deployment: deployment.id, model: deployment.modelName, ms, reason }, 'router: deployment cooling down');
  }

  /** Applies what a failure means for the deployment's health; returns the verdict for the call. */
  async function registerFailure(deployment: Deployment, error: unknown): Promise<ReturnType<typeof judgeFailure>> {
    const verdict = judgeFailure(error, deployment, settings);
    const now = dependencies.now();
    if (isAlone(deployment)) return verdict;
    // An `allowed_fails_policy` count for the failure's class replaces the immediate cooldown of a 429 or a 401:
    // the deployment cools down once this minute's failures pass it (LiteLLM's should_cooldown_based_on_allowed_fails_policy).
    const allowedByPolicy = allowedFailsFromPolicy(error, settings);
    if (verdict.immediateCooldown !== undefined && allowedByPolicy === undefined) {
      await coolDown(deployment, verdict.immediateCooldown.ms, verdict.immediateCooldown.reason, now);
    } else if (verdict.countsAsFailure && !settings.disable_cooldowns) {
      const failures = await state.countFailure(deployment.id, now);
      if (failures > (allowedByPolicy ?? settings.allowed_fails)) {
        const cooldown = verdict.immediateCooldown ?? { ms: cooldownMsOf(deployment, settings), reason: 'failures' as const };
        await coolDown(deployment, cooldown.ms, cooldown.reason, now);
      }
    }
    return verdict;
  }

  /**
   * A deployment with nothing to stand in for it (the only one of its group, and no configured
   * fallbacks) is never cooled down, as in LiteLLM: skipping it would only turn its own errors
   * into the router's, and hide its recovery. Within a call it is still retried after the hint.
   */
  function isAlone(deployment: Deployment): boolean {
    return (catalog.group(deployment.modelName)?.length ?? 0) <= 1 && fallbackPlan(deployment.modelName, undefined, settings, catalog).length <= 1;
  }

  /** Picks the deployment to try from `pool`; with usage-based routing, only one whose rpm/tpm room was reserved. */
  async function choose(pool: readonly Deployment[], characters: number): Promise<Deployment | undefined> {
    const now = dependencies.now();
    const ranked = await strategy.rank(pool, { state, now, random: dependencies.random });
    if (!strategy.enforcesUsage) return ranked[0];
    for (const deployment of ranked) {
      if (await state.reserve(deployment.id, characters, { rpm: deployment.params.rpm, tpm: deployment.params.tpm }, now)) return deployment;
    }
    return undefined;
  }

  async function recordLatency(deployment: Deployment, latencyMs: number): Promise<void> {
    const written = state.recordLatency(deployment.id, latencyMs, dependencies.now(), latencyTtlMs(settings));
    if (strategy.tracksLatency) await written;
    else void written.catch(() => undefined);
  }

  async function runAttempt<T>(
    deployment: Deployment,
    request: RouteRequest,
    attempt: Attempt<T>,
    log: CallLog,
  ): Promise<{ ok: true; value: T; finish: (error?: unknown) => void } | { ok: false; error: unknown }> {
    const timeout = deployment.params.timeout ?? settings.timeout;
    const deadline = attemptDeadline(request.signal, timeout);
    const started = dependencies.now();
    const startedPrecise = performance.now();
    // Calls in flight and latencies are always kept, for the deployments' health view; only the
    // strategy that ranks on them waits for the write.
    if (strategy.tracksInFlight) await state.beginCall(deployment.id, log.callId, started + IN_FLIGHT_HOLD_MS);
    else void state.beginCall(deployment.id, log.callId, started + IN_FLIGHT_HOLD_MS).catch(() => undefined);
    let finished = false;
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      // The audio has ended: stop following the caller's signal, which may outlive many calls (a job item's pieces).
      deadline.dispose();
      void state.endCall(deployment.id, log.callId).catch(() => undefined);
      if (isProviderError(error) && !request.signal.aborted) {
        emit({
          type: 'attempt',
          modelName: deployment.modelName,
          deploymentId: deployment.id,
          provider: deployment.provider,
          outcome: `${error.kind}_mid_stream`,
          durationMs: performance.now() - startedPrecise,
        });
        void registerFailure(deployment, error).catch(() => undefined);
      }
    };
    const note = (outcome: string, upstreamRequestId: string | undefined): number => {
      const durationMs = performance.now() - startedPrecise;
      log.attempts.push({
        deploymentId: deployment.id,
        provider: deployment.provider,
        modelName: deployment.modelName,
        outcome,
        durationMs,
        ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
      });
      emit({ type: 'attempt', modelName: deployment.modelName, deploymentId: deployment.id, provider: deployment.provider, outcome, durationMs });
      dependencies.logger?.debug(
        {
          model: deployment.modelName,
          deployment: deployment.id,
          provider: deployment.provider,
          outcome,
          ms: Math.round(durationMs),
          attempt: log.attempts.length,
          ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
        },
        'router: attempt',
      );
      return durationMs;
    };
    try {
      const value = await attempt(deployment, deadline.signal);
      deadline.audioStarted();
      const latencyMs = note('success', upstreamRequestIdOf(value));
      await recordLatency(deployment, latencyMs);
      return { ok: true, value, finish };
    } catch (thrown) {
      deadline.dispose();
      finish();
      if (request.signal.aborted) throw request.signal.reason ?? thrown;
      const error =
        deadline.signal.aborted && !isProviderError(thrown)
          ? new ProviderError({ kind: 'timeout', provider: deployment.provider, message: `no audio within ${String(timeout)} s`, cause: thrown })
          : thrown;
      const verdict = judgeFailure(error, deployment, settings);
      const latencyMs = note(verdict.outcome, isProviderError(error) ? error.upstreamRequestId : undefined);
      if (verdict.outcome === 'timeout') await recordLatency(deployment, latencyMs);
      return { ok: false, error };
    }
  }

  async function routeGroup<T>(modelName: string, request: RouteRequest, attempt: Attempt<T>, log: CallLog, fallbacksLeft: boolean): Promise<GroupOutcome<T>> {
    const group = catalog.group(modelName) ?? [];
    const sized = group.filter((deployment) => deployment.maxInputCharacters >= request.inputCharacters);
    if (sized.length === 0) return { kind: 'unfit', because: 'input' };
    const fit = sized.filter((deployment) => recognises(deployment, request.voice));
    if (fit.length === 0) return { kind: 'unfit', because: 'voice' };

    let maxAttempts = settings.num_retries + 1;
    /** The retry policy's count for the group's first failure (LiteLLM reads it once, from the first exception); null until one. */
    let policyRetries: number | undefined | null = null;
    const tried = new Set<string>();
    /** Deployments that cannot serve this request (auth, quota, unsupported): never again in this call. */
    const excluded = new Set<string>();
    let groupAttempts = 0;
    /** Waits for a cooled deployment are bounded too, so another process extending its cooldown cannot hold the call forever. */
    let cooldownWaits = 0;
    /** True right after waiting out a cooldown: the deployment is due now, with no further backoff. */
    let waitedOutCooldown = false;
    let lastVerdict: ReturnType<typeof judgeFailure> | undefined;

    while (groupAttempts < maxAttempts) {
      request.signal.throwIfAborted();
      const now = dependencies.now();
      const usable = fit.filter((deployment) => !excluded.has(deployment.id));
      const cooling = await state.cooldowns(
        usable.map((deployment) => deployment.id),
        now,
      );
      const healthy = usable.filter((deployment) => !cooling.has(deployment.id));
      const untried = healthy.filter((deployment) => !tried.has(deployment.id));

      let pool = untried;
      if (pool.length === 0) {
        if (healthy.length === 0) {
          const ends = [...cooling.values()].map((cooldown) => cooldown.untilMs - now);
          const soonest = ends.length === 0 ? undefined : Math.min(...ends);
          if (groupAttempts === 0) {
            const rateLimited = cooling.size > 0 && [...cooling.values()].every((cooldown) => cooldown.reason === 'rate_limited');
            return { kind: 'unavailable', retryAfterMs: soonest, rateLimited };
          }
          // Everything tried is cooling down now. Another group serves sooner than waiting; without one, wait if it is short.
          if (fallbacksLeft || soonest === undefined) return { kind: 'exhausted' };
          const waitMs = Math.max(soonest, settings.retry_after * 1000);
          if (waitMs > maxRetryWaitMs || cooldownWaits >= maxAttempts) return { kind: 'exhausted' };
          cooldownWaits += 1;
          await wait(waitMs, request.signal);
          waitedOutCooldown = true;
          continue;
        }
        // Only deployments already tried in this call are left: fall back at once, or retry one after a wait.
        if (fallbacksLeft) return { kind: 'exhausted' };
        if (!waitedOutCooldown) {
          const waitMs = retryWaitMs(groupAttempts, lastVerdict?.retryAfterMs, settings);
          if (waitMs > maxRetryWaitMs) return { kind: 'exhausted' };
          await wait(waitMs, request.signal);
        }
        pool = healthy;
      }

      const deployment = await choose(pool, request.inputCharacters);
      if (deployment === undefined) {
        // Usage-based routing found no rpm/tpm room left this minute on any healthy deployment.
        if (groupAttempts === 0) return { kind: 'unavailable', retryAfterMs: MINUTE_MS - (dependencies.now() % MINUTE_MS), rateLimited: true };
        return { kind: 'exhausted' };
      }
      if (groupAttempts > 0) emit({ type: 'retry', modelName, deploymentId: deployment.id, reason: lastVerdict?.outcome ?? 'error' });
      request.signal.throwIfAborted();
      groupAttempts += 1;
      waitedOutCooldown = false;
      tried.add(deployment.id);
      const outcome = await runAttempt(deployment, request, attempt, log);
      if (outcome.ok) {
        return { kind: 'served', result: { value: outcome.value, deployment, attempts: log.attempts, finish: outcome.finish } };
      }
      log.lastError = outcome.error;
      lastVerdict = await registerFailure(deployment, outcome.error);
      const groupNames = [request.modelName, modelName, deployment.modelName];
      if (policyRetries === null) {
        policyRetries = retriesFromPolicy(outcome.error, groupNames, settings);
        if (policyRetries !== undefined) maxAttempts = groupAttempts + policyRetries;
      }
      const retriesForThis = retriesFromPolicy(outcome.error, groupNames, settings);
      if (retriesForThis !== undefined && retriesForThis > 0) lastVerdict = retriedByPolicy(lastVerdict, outcome.error, deployment, settings);
      if (lastVerdict.action === 'stop') return { kind: 'stopped', error: outcome.error };
      if (lastVerdict.action === 'next') excluded.add(deployment.id);
    }
    return { kind: 'exhausted' };
  }

  return {
    async route(request, attempt) {
      const plan = fallbackPlan(request.modelName, request.fallbacks, settings, catalog);
      const log: CallLog = { callId: randomUUID(), attempts: [], lastError: undefined };
      const unavailable: Array<{ retryAfterMs: number | undefined; rateLimited: boolean }> = [];
      const unfit = new Set<'voice' | 'input'>();
      let previous: string | undefined;
      for (const [index, modelName] of plan.entries()) {
        if (previous !== undefined) {
          emit({ type: 'fallback', fromModel: previous, toModel: modelName });
          dependencies.logger?.debug({ from: previous, to: modelName }, 'router: falling back');
        }
        const outcome = await routeGroup(modelName, request, attempt, log, index < plan.length - 1);
        switch (outcome.kind) {
          case 'served':
            return outcome.result;
          case 'stopped':
            throw new AllDeploymentsFailedError(request.modelName, log.attempts, outcome.error);
          case 'unavailable':
            unavailable.push(outcome);
            previous = modelName;
            break;
          case 'unfit':
            unfit.add(outcome.because);
            break;
          case 'exhausted':
            previous = modelName;
            break;
        }
      }
      if (log.attempts.length > 0) throw new AllDeploymentsFailedError(request.modelName, log.attempts, log.lastError);
      if (unavailable.length > 0) {
        const known = unavailable.map((entry) => entry.retryAfterMs).filter((ms): ms is number => ms !== undefined);
        const retryAfterMs = known.length === 0 ? undefined : Math.max(0, Math.min(...known));
        const rateLimited = unavailable.every((entry) => entry.rateLimited);
        const groups = plan.length > 1 ? `"${request.modelName}" and its fallbacks` : `"${request.modelName}"`;
        const message = rateLimited
          ? `every deployment of ${groups} is rate limited; retry after ${Math.ceil((retryAfterMs ?? 1000) / 1000)} s`
          : `every deployment of ${groups} is cooling down after failures; retry after ${Math.ceil((retryAfterMs ?? 1000) / 1000)} s`;
        throw new NoDeploymentAvailableError(request.modelName, message, retryAfterMs, rateLimited ? 'rate_limited' : 'cooling_down');
      }
      if (unfit.has('voice') && request.voice !== undefined) {
        throw invalidRequest(
          `The voice '${request.voice}' is not an OpenAI voice name nor a voice any deployment of '${request.modelName}' can use.`,
          'voice',
          'voice_not_supported',
        );
      }
      throw new NoDeploymentAvailableError(
        request.modelName,
        `no deployment of "${request.modelName}" accepts ${request.inputCharacters} characters`,
        undefined,
        'input_too_long',
      );
    },
  };
}

/** The provider's hint when it gave one, else exponential backoff; never below `retry_after`. */
function retryWaitMs(attemptsSoFar: number, hintMs: number | undefined, settings: RouterSettings): number {
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsSoFar - 1), BACKOFF_MAX_MS);
  return Math.max(hintMs ?? backoff, settings.retry_after * 1000);
}
