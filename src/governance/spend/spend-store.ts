import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RedisClient } from '../../redis/redis-client.js';
import { defineScript } from '../../redis/redis-script.js';
import { getMany, slotBatch } from '../../redis/slot-batch.js';
import { spendRowSchema, type SpendRow } from './spend-row.js';

/** Whose budget: a virtual key (by hash) or an end user. */
interface BudgetSubject {
  readonly kind: 'key' | 'end_user';
  readonly id: string;
}

interface BudgetWindow {
  /** USD spent since the window began (or ever, without a duration). */
  readonly spend: number;
  /** When the window starts afresh; undefined for a lifetime budget. */
  readonly resetAt: number | undefined;
}

interface SpendFilter {
  /** A key's hash, or `master` / `anonymous`. */
  readonly keyId?: string;
  readonly endUser?: string;
  readonly model?: string;
  readonly from?: number;
  /** Exclusive. */
  readonly to?: number;
  readonly limit: number;
}

interface SpendTotal {
  readonly id: string;
  readonly spend: number;
}

/** Spend records and running totals. Records expire after the retention window. */
/** One spend row and when its synthesis started (epoch ms), which orders the logs. */
export interface SpendEntry {
  readonly row: SpendRow;
  readonly at: number;
}

export interface SpendStore {
  append(row: SpendRow, at: number): Promise<void>;
  /** Several rows in one transaction: the same records and totals as one `append` each, in one round trip. */
  appendMany(entries: readonly SpendEntry[]): Promise<void>;
  /** Newest first. */
  query(filter: SpendFilter): Promise<SpendRow[]>;
  totals(kind: BudgetSubject['kind']): Promise<SpendTotal[]>;
  /** The current budget window, started or rolled over as `now` requires. */
  budgetWindow(subject: BudgetSubject, durationMs: number | undefined, now: number): Promise<BudgetWindow>;
  /** Sets when the window next resets (a key created or given a new `budget_duration`); spend is kept. */
  setBudgetReset(subject: BudgetSubject, resetAt: number | undefined): Promise<void>;
  forget(subject: BudgetSubject): Promise<void>;
}

/** `{spend, reset_at}` of a budget, its window rolled over as `now` requires (see the script). */
const budgetWindowScript = defineScript(new URL('./scripts/budget-window.lua', import.meta.url), z.tuple([z.string(), z.string()]));

const READ_BATCH = 500;

export function createRedisSpendStore(redis: RedisClient, prefix: string, retentionMs: number): SpendStore {
  const rowKey = (id: string): string => `${prefix}spend:log:${id}`;
  const allIndex = `${prefix}spend:index:all`;
  const keyIndex = (keyId: string): string => `${prefix}spend:index:key:${keyId}`;
  const userIndex = (endUser: string): string => `${prefix}spend:index:end_user:${endUser}`;
  const budgetKey = (subject: BudgetSubject): string => `${prefix}budget:${subject.kind}:${subject.id}`;
  const totalsKey = (kind: BudgetSubject['kind']): string => `${prefix}spend:totals:${kind}`;

  const appendMany = async (entries: readonly SpendEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    // Each key is its own slot on a Cluster (rows, indexes and budgets spread over the masters): one transaction per slot.
    const transaction = slotBatch(redis, 'transaction');
    // Index members and totals are gathered per key first: a batch of rows from one key is a few commands, not a few per row.
    const members = new Map<string, Array<number | string>>();
    const increments = new Map<string, { subject: BudgetSubject; spend: number }>();
    let newest = -Infinity;
    for (const { row, at } of entries) {
      // One request can make several records (a job item split in pieces, a retried item): each keeps its own id.
      const id = randomUUID();
      const key = rowKey(id);
      transaction.add(key, (batch) => batch.set(key, JSON.stringify(row), 'PX', retentionMs));
      newest = Math.max(newest, at);
      for (const index of [allIndex, keyIndex(row.api_key), ...(row.end_user === null ? [] : [userIndex(row.end_user)])]) {
        const list = members.get(index) ?? [];
        list.push(at, id);
        members.set(index, list);
      }
      const subjects: BudgetSubject[] = [{ kind: 'key', id: row.api_key }, ...(row.end_user === null ? [] : [{ kind: 'end_user' as const, id: row.end_user }])];
      for (const subject of subjects) {
        const name = budgetKey(subject);
        increments.set(name, { subject, spend: (increments.get(name)?.spend ?? 0) + row.spend });
      }
    }
    const oldest = newest - retentionMs;
    for (const [index, list] of members) {
      transaction.add(index, (batch) =>
        batch
          .zadd(index, ...list)
          .zremrangebyscore(index, '-inf', `(${oldest}`)
          .pexpire(index, retentionMs),
      );
    }
    for (const [name, { subject, spend }] of increments) {
      transaction.add(name, (batch) => batch.hincrbyfloat(name, 'spend', spend).hincrbyfloat(name, 'total', spend));
      const totals = totalsKey(subject.kind);
      transaction.add(totals, (batch) => batch.zincrby(totals, spend, subject.id));
    }
    await transaction.exec();
  };

  return {
    async append(row, at) {
      await appendMany([{ row, at }]);
    },

    appendMany,

    async query(filter) {
      const index = filter.keyId !== undefined ? keyIndex(filter.keyId) : filter.endUser !== undefined ? userIndex(filter.endUser) : allIndex;
      const max = filter.to === undefined ? '+inf' : `(${filter.to}`;
      const min = filter.from === undefined ? '-inf' : String(filter.from);
      const ids = await redis.zrevrangebyscore(index, max, min);
      const rows: SpendRow[] = [];
      for (let offset = 0; offset < ids.length && rows.length < filter.limit; offset += READ_BATCH) {
        const texts = await getMany(redis, ids.slice(offset, offset + READ_BATCH).map(rowKey));
        for (const text of texts) {
          if (text === null) continue;
          const row = spendRowSchema.parse(JSON.parse(text));
          if (filter.endUser !== undefined && row.end_user !== filter.endUser) continue;
          if (filter.model !== undefined && row.model_group !== filter.model && row.model !== filter.model) continue;
          rows.push(row);
          if (rows.length >= filter.limit) break;
        }
      }
      return rows;
    },

    async totals(kind) {
      const flat = await redis.zrevrange(totalsKey(kind), 0, -1, 'WITHSCORES');
      const totals: SpendTotal[] = [];
      for (let index = 0; index + 1 < flat.length; index += 2) totals.push({ id: flat[index] ?? '', spend: Number(flat[index + 1]) });
      return totals;
    },

    async budgetWindow(subject, durationMs, now) {
      const reply = await budgetWindowScript.run(redis, [budgetKey(subject)], [now, durationMs ?? 0]);
      const resetAt = Number(reply[1]);
      return { spend: Number(reply[0]), resetAt: resetAt > 0 ? resetAt : undefined };
    },

    async setBudgetReset(subject, resetAt) {
      if (resetAt === undefined) await redis.hdel(budgetKey(subject), 'reset_at');
      else await redis.hset(budgetKey(subject), 'reset_at', String(resetAt));
    },

    async forget(subject) {
      await redis.del(budgetKey(subject));
    },
  };
}
