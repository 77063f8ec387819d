import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../../src/redis/redis-client.js';

/** Every key and value in Redis (every master of a Cluster), as text, to look for what must never be stored. */
export async function dumpRedis(redis: RedisClient): Promise<string[]> {
  const servers: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  return (await Promise.all(servers.map(dumpServer))).flat();
}

async function dumpServer(redis: Redis): Promise<string[]> {
  const texts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      texts.push(key);
      const type = await redis.type(key);
      if (type === 'string') texts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') texts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'set') texts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') texts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'list') texts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'stream') texts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else throw new Error(`cannot read Redis key ${key} of type ${type}`);
    }
  } while (cursor !== '0');
  return texts;
}
