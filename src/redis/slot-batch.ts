import type { ChainableCommander } from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import type { RedisClient } from './redis-client.js';

/**
 * Commands sent together: on one server as one pipeline or MULTI (one round trip), on a Cluster
 * as one per hash slot, sent at once, since a Cluster refuses a pipeline or transaction whose
 * keys span slots. Each command names the key (or hash tag) that places it; a transaction is
 * then atomic per slot, not across slots. Replies come back in the order commands were added.
 */
export interface SlotBatch {
  add(key: string, command: (batch: ChainableCommander) => unknown): SlotBatch;
  /** Every reply in order; rejects with the first command's error, if any failed. */
  exec(): Promise<unknown[]>;
}

export function slotBatch(redis: RedisClient, mode: 'pipeline' | 'transaction'): SlotBatch {
  const commands: Array<{ slot: number; command: (batch: ChainableCommander) => unknown }> = [];
  const batch: SlotBatch = {
    add(key, command) {
      commands.push({ slot: redis.isCluster ? calculateSlot(key) : 0, command });
      return batch;
    },
    async exec() {
      const groups = new Map<number, number[]>();
      commands.forEach(({ slot }, index) => {
        const group = groups.get(slot) ?? [];
        group.push(index);
        groups.set(slot, group);
      });
      const replies: unknown[] = new Array(commands.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const chain = mode === 'transaction' ? redis.multi() : redis.pipeline();
          for (const index of indexes) commands[index]?.command(chain);
          const results = (await chain.exec()) ?? [];
          results.forEach(([error, value], position) => {
            if (error) throw error;
            replies[indexes[position] as number] = value;
          });
        }),
      );
      return replies;
    },
  };
  return batch;
}

/** Values of many string keys: one MGET on one server, one per slot on a Cluster; null where absent. */
export async function getMany(redis: RedisClient, keys: readonly string[]): Promise<Array<string | null>> {
  if (keys.length === 0) return [];
  if (!redis.isCluster) return redis.mget(...keys);
  const batch = slotBatch(redis, 'pipeline');
  for (const key of keys) batch.add(key, (chain) => chain.get(key));
  return (await batch.exec()).map((value) => (typeof value === 'string' ? value : null));
}
