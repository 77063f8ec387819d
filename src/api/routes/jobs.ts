import { Router as ExpressRouter, type Request, type Response } from 'express';
import { z } from 'zod';
import { invalidRequest, notFound } from '../../domain/errors.js';
import { createJobRequestSchema } from '../../jobs/job-request.js';
import { parseJobStatus, type JobService } from '../../jobs/job-service.js';
import { authenticate, principalOf } from '../middleware/authenticate.js';
import type { Authenticator, Admission } from '../../domain/principal.js';
import { requestIdOf } from '../middleware/request-id.js';
import { validateBody } from '../schemas/validate.js';
import { sendAudioStream } from '../send-audio.js';

export interface JobRouteDependencies {
  readonly jobs: JobService;
  readonly authenticator: Authenticator;
  readonly admission: Admission;
  readonly publicBaseUrl: string | undefined;
}

const JOBS = '/v1/audio/speech/jobs';
const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).optional(),
  status: z.string().optional(),
});
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The asynchronous half of the speech API (docs/jobs.md). */
export function jobRoutes(dependencies: JobRouteDependencies): ExpressRouter {
  const router = ExpressRouter();
  const { jobs } = dependencies;
  const auth = authenticate(dependencies.authenticator);

  router.post(JOBS, auth, async (request: Request, response: Response) => {
    const body = validateBody(createJobRequestSchema, request.body);
    const principal = principalOf(response);
    const idempotencyKey = request.get('idempotency-key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalidRequest('Idempotency-Key must be 1 to 255 printable ASCII characters.', 'Idempotency-Key', 'invalid_idempotency_key');
    }
    const characters = body.items.reduce((sum, item) => sum + item.input.length, 0);
    await dependencies.admission.admit(principal, body.model, characters);
    const { job, replayed } = await jobs.create({
      principal,
      body,
      idempotencyKey,
      baseUrl: dependencies.publicBaseUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`,
      requestId: requestIdOf(response.locals),
    });
    if (replayed) response.setHeader('idempotent-replayed', 'true');
    response.status(202).json(job);
  });

  router.get(JOBS, auth, async (request: Request, response: Response) => {
    const query = validateBody(listQuerySchema, { ...request.query });
    const status = query.status === undefined ? undefined : parseJobStatus(query.status);
    if (query.status !== undefined && status === undefined)
      throw invalidRequest(`Invalid 'status': '${query.status}' is not a job status.`, 'status', 'invalid_value');
    response.json(
      await jobs.list(principalOf(response), {
        limit: query.limit,
        ...(query.after === undefined ? {} : { after: query.after }),
        ...(status === undefined ? {} : { status }),
      }),
    );
  });

  router.get(`${JOBS}/:id`, auth, async (request: Request, response: Response) => {
    response.json(await jobs.get(principalOf(response), String(request.params['id'])));
  });

  router.post(`${JOBS}/:id/cancel`, auth, async (request: Request, response: Response) => {
    response.json(await jobs.cancel(principalOf(response), String(request.params['id'])));
  });

  router.delete(`${JOBS}/:id`, auth, async (request: Request, response: Response) => {
    response.json(await jobs.remove(principalOf(response), String(request.params['id'])));
  });

  router.get(`${JOBS}/:id/items/:index/audio`, auth, async (request: Request, response: Response) => {
    const index = Number(request.params['index']);
    if (!Number.isInteger(index) || index < 0) throw notFound(`No item '${String(request.params['index'])}'.`, 'item_not_found', 'index');
    const audio = await jobs.itemAudio(principalOf(response), String(request.params['id']), index);
    response.status(200).setHeader('content-type', audio.contentType);
    if (audio.bytes !== undefined) response.setHeader('content-length', String(audio.bytes));
    await sendAudioStream(response, audio.body);
  });

  return router;
}
