import type { Cluster, Redis } from 'ioredis';

/**
 * What every Redis user in the program talks to: one server (or a Sentinel-managed master,
 * which ioredis presents as a `Redis`) or a Cluster. Both speak the same commands; a Cluster
 * refuses a transaction or script whose keys span hash slots, so multi-key work names its slot.
 */
export type RedisClient = Redis | Cluster;
