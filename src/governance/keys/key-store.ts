import type { RedisClient } from '../../redis/redis-client.js';
import { slotBatch } from '../../redis/slot-batch.js';
import { keyRecordSchema, type KeyRecord } from './key-record.js';

/** Virtual keys in Redis, by hash. */
export interface KeyStore {
  get(token: string): Promise<KeyRecord | undefined>;
  /** Writes the record; `onlyIfNew` refuses to replace an existing key (a custom key sent twice). */
  put(record: KeyRecord, options?: { onlyIfNew?: boolean }): Promise<boolean>;
  delete(token: string): Promise<boolean>;
  tokens(): Promise<string[]>;
}

export function createRedisKeyStore(redis: RedisClient, prefix: string): KeyStore {
  const recordKey = (token: string): string => `${prefix}key:${token}`;
  const indexKey = `${prefix}keys`;
  return {
    async get(token) {
      const text = await redis.get(recordKey(token));
      if (text === null) return undefined;
      // Records can outlive a deploy: read them through the schema like any other edge.
      return keyRecordSchema.parse(JSON.parse(text));
    },
    async put(record, options = {}) {
      const text = JSON.stringify(keyRecordSchema.parse(record));
      const written = options.onlyIfNew === true ? await redis.set(recordKey(record.token), text, 'NX') : await redis.set(recordKey(record.token), text);
      if (written === null) return false;
      await redis.sadd(indexKey, record.token);
      return true;
    },
    async delete(token) {
      // The record and the index are different slots on a Cluster.
      const [removed] = await slotBatch(redis, 'transaction')
        .add(recordKey(token), (batch) => batch.del(recordKey(token)))
        .add(indexKey, (batch) => batch.srem(indexKey, token))
        .exec();
      return removed === 1;
    },
    async tokens() {
      return redis.smembers(indexKey);
    },
  };
}
