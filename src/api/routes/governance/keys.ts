import { Router as ExpressRouter } from 'express';
import { z } from 'zod';
import type { ModelCatalog } from '../../../domain/catalog.js';
import { ApiError, invalidRequest, notFound } from '../../../domain/errors.js';
import { DURATION_HINT, parseDuration } from '../../../config/duration.js';
import type { KeyRecord } from '../../../governance/keys/key-record.js';
import { abbreviateKey, generateVirtualKey, hashVirtualKey, tokenOf } from '../../../governance/keys/key-secret.js';
import type { KeyStore } from '../../../governance/keys/key-store.js';
import type { SpendStore } from '../../../governance/spend/spend-store.js';
import { authenticate, principalOf } from '../../middleware/authenticate.js';
import type { Authenticator } from '../../../domain/principal.js';
import { validateBody } from '../../schemas/validate.js';
import { requireMaster } from './admin.js';

export interface KeyRouteDependencies {
  readonly authenticator: Authenticator;
  readonly keys: KeyStore;
  readonly spend: SpendStore;
  readonly catalog: ModelCatalog;
  readonly now: () => number;
}

const durationSchema = z.string().refine((text) => parseDuration(text) !== undefined, { message: DURATION_HINT });

/** The fields a key is made of; `null` in an update clears a limit. */
const keyFields = {
  key_alias: z.string().min(1).nullish(),
  models: z.array(z.string().min(1)).optional(),
  max_budget: z.number().nonnegative().nullish(),
  budget_duration: durationSchema.nullish(),
  rpm_limit: z.number().int().nonnegative().nullish(),
  /** Expiry from now, LiteLLM style; `expires` sets it absolutely. */
  duration: durationSchema.nullish(),
  expires: z.iso.datetime({ offset: true }).nullish(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  user_id: z.string().min(1).nullish(),
};

/** Unknown fields are refused rather than ignored: a limit that silently does nothing is worse than a 400. */
const generateSchema = z.strictObject({ ...keyFields, key: z.string().startsWith('sk-').min(20).optional() });
const updateSchema = z.strictObject({ ...keyFields, key: z.string().min(1) });
const deleteSchema = z.strictObject({ keys: z.array(z.string().min(1)).min(1) });

/** LiteLLM's key management: `/key/generate`, `/key/info`, `/key/update`, `/key/delete`. */
export function keyRoutes(dependencies: KeyRouteDependencies): ExpressRouter {
  const { keys, spend, catalog, now } = dependencies;
  const router = ExpressRouter();
  const auth = authenticate(dependencies.authenticator);

  const checkModels = (models: readonly string[] | undefined): void => {
    const unknown = (models ?? []).filter((model) => !catalog.modelNames.includes(model));
    if (unknown.length > 0)
      throw invalidRequest(`Unknown model(s): ${unknown.join(', ')}. Known: ${catalog.modelNames.join(', ')}.`, 'models', 'model_not_found');
  };
  const expiryOf = (body: { duration?: string | null | undefined; expires?: string | null | undefined }, current: string | null): string | null => {
    if (body.duration !== undefined && body.expires !== undefined)
      throw invalidRequest('Send either duration or expires, not both.', 'duration', 'invalid_value');
    if (body.duration !== undefined) return body.duration === null ? null : new Date(now() + (parseDuration(body.duration) ?? 0)).toISOString();
    if (body.expires !== undefined) return body.expires === null ? null : new Date(body.expires).toISOString();
    return current;
  };
  const resetAtOf = (budgetDuration: string | null): number | undefined => {
    const ms = budgetDuration === null ? undefined : parseDuration(budgetDuration);
    return ms === undefined ? undefined : now() + ms;
  };
  const describe = async (record: KeyRecord) => {
    const durationMs = record.budget_duration === null ? undefined : parseDuration(record.budget_duration);
    const window = await spend.budgetWindow({ kind: 'key', id: record.token }, durationMs, now());
    return { ...record, spend: window.spend, budget_reset_at: window.resetAt === undefined ? null : new Date(window.resetAt).toISOString() };
  };

  router.post('/key/generate', auth, async (request, response) => {
    requireMaster(response);
    const body = validateBody(generateSchema, request.body);
    checkModels(body.models);
    const key = body.key ?? generateVirtualKey();
    const at = new Date(now()).toISOString();
    const record: KeyRecord = {
      token: hashVirtualKey(key),
      key_name: abbreviateKey(key),
      key_alias: body.key_alias ?? null,
      models: body.models ?? [],
      max_budget: body.max_budget ?? null,
      budget_duration: body.budget_duration ?? null,
      rpm_limit: body.rpm_limit ?? null,
      expires: expiryOf(body, null),
      metadata: body.metadata ?? {},
      user_id: body.user_id ?? null,
      created_at: at,
      updated_at: at,
    };
    if (!(await keys.put(record, { onlyIfNew: true }))) {
      throw new ApiError({ status: 409, type: 'invalid_request_error', code: 'key_exists', param: 'key', message: 'A key with this value already exists.' });
    }
    await spend.setBudgetReset({ kind: 'key', id: record.token }, resetAtOf(record.budget_duration));
    // The only time the key itself leaves the gateway: it is not stored, so it cannot be shown again.
    response.json({ key, ...(await describe(record)), token_id: record.token });
  });

  router.get('/key/info', auth, async (request, response) => {
    const principal = principalOf(response);
    const asked = typeof request.query['key'] === 'string' ? request.query['key'] : undefined;
    let token: string;
    if (principal.kind === 'master') {
      if (asked === undefined) throw invalidRequest('Pass the key to describe as ?key=.', 'key', 'missing_key');
      token = tokenOf(asked);
    } else if (principal.kind === 'virtual_key') {
      token = principal.keyId;
      if (asked !== undefined && tokenOf(asked) !== token) {
        throw new ApiError({
          status: 403,
          type: 'permission_error',
          code: 'master_key_required',
          message: 'A key may only describe itself; the master key may describe any key.',
        });
      }
    } else {
      throw new ApiError({ status: 403, type: 'permission_error', code: 'master_key_required', message: 'Key information needs a key.' });
    }
    const record = await keys.get(token);
    if (record === undefined) throw notFound('No such key.', 'key_not_found', 'key');
    response.json({ key: record.token, info: await describe(record) });
  });

  router.post('/key/update', auth, async (request, response) => {
    requireMaster(response);
    const body = validateBody(updateSchema, request.body);
    checkModels(body.models);
    const current = await keys.get(tokenOf(body.key));
    if (current === undefined) throw notFound('No such key.', 'key_not_found', 'key');
    const updated: KeyRecord = {
      ...current,
      key_alias: body.key_alias === undefined ? current.key_alias : body.key_alias,
      models: body.models ?? current.models,
      max_budget: body.max_budget === undefined ? current.max_budget : body.max_budget,
      budget_duration: body.budget_duration === undefined ? current.budget_duration : body.budget_duration,
      rpm_limit: body.rpm_limit === undefined ? current.rpm_limit : body.rpm_limit,
      expires: expiryOf(body, current.expires),
      metadata: body.metadata ?? current.metadata,
      user_id: body.user_id === undefined ? current.user_id : body.user_id,
      updated_at: new Date(now()).toISOString(),
    };
    await keys.put(updated);
    if (updated.budget_duration !== current.budget_duration) await spend.setBudgetReset({ kind: 'key', id: updated.token }, resetAtOf(updated.budget_duration));
    response.json({ key: updated.token, ...(await describe(updated)) });
  });

  router.post('/key/delete', auth, async (request, response) => {
    requireMaster(response);
    const body = validateBody(deleteSchema, request.body);
    const tokens = body.keys.map(tokenOf);
    const missing = (await Promise.all(tokens.map(async (token) => ((await keys.get(token)) === undefined ? token : undefined)))).filter(
      (token) => token !== undefined,
    );
    if (missing.length > 0) throw notFound(`No such key(s): ${missing.join(', ')}.`, 'key_not_found', 'keys');
    for (const token of tokens) {
      await keys.delete(token);
      await spend.forget({ kind: 'key', id: token });
    }
    response.json({ deleted_keys: tokens });
  });

  return router;
}
