import type { Cluster, Redis } from 'ioredis';

/**
 * A connection from the one factory (connections.ts): a plain or Sentinel-backed Redis, or a
 * Cluster. Code that only sends commands takes this, never a concrete class, so every role
 * runs on every supported setup.
 */
export type RedisClient = Redis | Cluster;
