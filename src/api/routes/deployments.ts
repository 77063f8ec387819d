import { Router as ExpressRouter } from 'express';
import type { ModelCatalog } from '../../domain/catalog.js';
import type { RouterState } from '../../router/state/router-state.js';
import { authenticate, type Authenticator } from '../middleware/authenticate.js';
import { requireMaster } from './governance/admin.js';

export interface DeploymentRouteDependencies {
  readonly catalog: ModelCatalog;
  /** The router's own state: in Redis, what every instance sees. */
  readonly state: RouterState;
  readonly authenticator: Authenticator;
  /** How long latency samples count (the router's `routing_strategy_args.ttl`). */
  readonly latencyTtlMs: number;
  readonly now: () => number;
}

/** One deployment as an operator sees it: where it points (never its secrets) and how it is doing. */
interface DeploymentHealth {
  readonly id: string;
  readonly model_name: string;
  readonly provider: string;
  readonly model: string;
  readonly healthy: boolean;
  readonly cooldown: { readonly until: string; readonly seconds_left: number; readonly reason: string } | null;
  readonly in_flight: number;
  /** Mean time to first audio byte of its recent calls, in ms; null before any call. */
  readonly latency_ms: number | null;
  readonly limits: { readonly rpm: number | null; readonly tpm: number | null };
}

/** `GET /health/deployments` (master key): the cooldown, calls in flight and latency of every deployment. */
export function deploymentRoutes(dependencies: DeploymentRouteDependencies): ExpressRouter {
  const router = ExpressRouter();
  router.get('/health/deployments', authenticate(dependencies.authenticator), async (_request, response) => {
    requireMaster(response);
    const now = dependencies.now();
    const deployments = dependencies.catalog.modelNames.flatMap((name) => dependencies.catalog.group(name) ?? []);
    const ids = deployments.map((deployment) => deployment.id);
    const { state } = dependencies;
    const [cooldowns, inFlight, latencies] = await Promise.all([
      state.cooldowns(ids, now),
      state.inFlight(ids, now),
      state.latencies(ids, now, dependencies.latencyTtlMs),
    ]);
    const data = deployments.map((deployment): DeploymentHealth => {
      const cooldown = cooldowns.get(deployment.id);
      const latency = latencies.get(deployment.id);
      return {
        id: deployment.id,
        model_name: deployment.modelName,
        provider: deployment.provider,
        model: deployment.model,
        healthy: cooldown === undefined,
        cooldown:
          cooldown === undefined
            ? null
            : {
                until: new Date(cooldown.untilMs).toISOString(),
                seconds_left: Math.max(0, Math.ceil((cooldown.untilMs - now) / 1000)),
                reason: cooldown.reason,
              },
        in_flight: inFlight.get(deployment.id) ?? 0,
        latency_ms: latency === undefined ? null : Math.round(latency * 10) / 10,
        limits: { rpm: deployment.params.rpm ?? null, tpm: deployment.params.tpm ?? null },
      };
    });
    response.json({ object: 'list', data });
  });
  return router;
}
