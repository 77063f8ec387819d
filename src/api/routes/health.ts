import { Router as ExpressRouter } from 'express';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<{ readonly ok: boolean; readonly detail?: string }>;
}

/** LiteLLM's probe paths, open without a key so orchestrators can call them. */
export function healthRoutes(checks: readonly ReadinessCheck[]): ExpressRouter {
  const router = ExpressRouter();
  router.get('/health/liveliness', (_request, response) => {
    response.json("I'm alive!");
  });
  router.get('/health/readiness', async (_request, response) => {
    const results = await Promise.all(
      checks.map(async (check) => {
        try {
          return [check.name, await check.check()] as const;
        } catch (error) {
          return [check.name, { ok: false, detail: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const healthy = results.every(([, result]) => result.ok);
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'healthy' : 'unhealthy', checks: Object.fromEntries(results) });
  });
  return router;
}
