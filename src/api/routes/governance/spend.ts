import { Router as ExpressRouter, type Request } from 'express';
import { z } from 'zod';
import { ApiError, invalidRequest } from '../../../domain/errors.js';
import { tokenOf } from '../../../governance/keys/key-secret.js';
import type { KeyStore } from '../../../governance/keys/key-store.js';
import { groupSpend, SPEND_GROUPINGS } from '../../../governance/spend/spend-report.js';
import type { SpendStore } from '../../../governance/spend/spend-store.js';
import { authenticate, principalOf } from '../../middleware/authenticate.js';
import type { Authenticator } from '../../../domain/principal.js';
import { requireMaster } from './admin.js';

export interface SpendRouteDependencies {
  readonly authenticator: Authenticator;
  readonly keys: KeyStore;
  readonly spend: SpendStore;
  /** `litellm_settings.max_end_user_budget`, shown beside each end user's spend. */
  readonly maxEndUserBudget: number | undefined;
}

const DEFAULT_LIMIT = 1000;
/** Rows a report sums at most; past that it says it is partial rather than passing a wrong total off as whole. */
const REPORT_ROWS = 100_000;
const MAX_LIMIT = 10_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const querySchema = z.object({
  api_key: z.string().min(1).optional(),
  end_user: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  request_id: z.string().min(1).optional(),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  limit: z.coerce.number().int().positive().max(MAX_LIMIT).default(DEFAULT_LIMIT),
});

const reportSchema = z.object({
  group_by: z.enum(SPEND_GROUPINGS).default('day'),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
});

/** `GET /spend/logs` (LiteLLM's rows), `GET /spend/keys` and `GET /spend/end_users` (totals), `GET /spend/report` (sums by day, model, key or end user). */
export function spendRoutes(dependencies: SpendRouteDependencies): ExpressRouter {
  const { keys, spend } = dependencies;
  const router = ExpressRouter();
  const auth = authenticate(dependencies.authenticator);

  router.get('/spend/logs', auth, async (request, response) => {
    const query = parseQuery(request);
    const principal = principalOf(response);
    // `api_key` may be the key itself or its hash; only the hash is ever looked up.
    let keyId = query.api_key === undefined ? undefined : query.api_key === 'master' || query.api_key === 'anonymous' ? query.api_key : tokenOf(query.api_key);
    if (principal.kind === 'virtual_key') {
      if (keyId !== undefined && keyId !== principal.keyId) {
        throw new ApiError({
          status: 403,
          type: 'permission_error',
          code: 'master_key_required',
          message: "A key may only read its own spend; the master key may read everyone's.",
        });
      }
      keyId = principal.keyId;
    } else requireMaster(response);
    const from = query.start_date === undefined ? undefined : parseDate(query.start_date, 'start_date', false);
    const to = query.end_date === undefined ? undefined : parseDate(query.end_date, 'end_date', true);
    const rows = await spend.query({
      ...(keyId === undefined ? {} : { keyId }),
      ...(query.end_user === undefined ? {} : { endUser: query.end_user }),
      ...(query.model === undefined ? {} : { model: query.model }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      limit: query.limit,
    });
    response.json(query.request_id === undefined ? rows : rows.filter((row) => row.request_id === query.request_id));
  });

  // A virtual key's report covers its own rows alone; the master key's covers everyone's.
  router.get('/spend/report', auth, async (request, response) => {
    const query = parseWith(reportSchema, request);
    const principal = principalOf(response);
    if (principal.kind !== 'virtual_key') requireMaster(response);
    const from = query.start_date === undefined ? undefined : parseDate(query.start_date, 'start_date', false);
    const to = query.end_date === undefined ? undefined : parseDate(query.end_date, 'end_date', true);
    const rows = await spend.query({
      ...(principal.kind === 'virtual_key' ? { keyId: principal.keyId } : {}),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      limit: REPORT_ROWS,
    });
    response.json({ object: 'spend.report', group_by: query.group_by, partial: rows.length >= REPORT_ROWS, data: groupSpend(rows, query.group_by) });
  });

  router.get('/spend/keys', auth, async (_request, response) => {
    requireMaster(response);
    const totals = new Map((await spend.totals('key')).map((total) => [total.id, total.spend]));
    const tokens = new Set([...(await keys.tokens()), ...totals.keys()]);
    const rows = await Promise.all(
      [...tokens].map(async (token) => {
        const record = await keys.get(token);
        return {
          token,
          key_name: record?.key_name ?? token,
          key_alias: record?.key_alias ?? null,
          user_id: record?.user_id ?? null,
          models: record?.models ?? [],
          max_budget: record?.max_budget ?? null,
          spend: totals.get(token) ?? 0,
          deleted: record === undefined && token !== 'master' && token !== 'anonymous',
        };
      }),
    );
    response.json(rows.sort((left, right) => right.spend - left.spend));
  });

  router.get(['/spend/end_users', '/customer/list'], auth, async (_request, response) => {
    requireMaster(response);
    const totals = await spend.totals('end_user');
    response.json(totals.map((total) => ({ user_id: total.id, spend: total.spend, max_budget: dependencies.maxEndUserBudget ?? null })));
  });

  return router;
}

function parseQuery(request: Request): z.infer<typeof querySchema> {
  return parseWith(querySchema, request);
}

function parseWith<Schema extends z.ZodType>(schema: Schema, request: Request): z.infer<Schema> {
  const parsed = schema.safeParse(request.query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.map(String).join('.') ?? null;
  throw invalidRequest(`Invalid '${param ?? 'query'}': ${issue?.message ?? 'invalid value'}`, param, 'invalid_value');
}

/** A date (`2025-01-31`, the whole day in UTC) or an ISO time; `end_date` as a date includes that day. */
function parseDate(text: string, param: string, endOfDay: boolean): number {
  const time = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time)) throw invalidRequest(`Invalid '${param}': expected a date such as 2025-01-31 or an ISO time.`, param, 'invalid_value');
  return DATE_ONLY.test(text) && endOfDay ? time + DAY_MS : time;
}
