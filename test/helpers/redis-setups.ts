import { Secret } from '../../src/config/secret.js';
import type { RedisTarget } from '../../src/config/redis-target.js';
import { startPrivateCluster, type PrivateCluster } from '../../sim/redis/cluster.js';
import { startPrivateSentinel, type PrivateSentinel } from '../../sim/redis/sentinel.js';

/** The passwords of the tests' Cluster and Sentinel set: they must never show in a log. */
export const REDIS_PASSWORD = 'redis-pw-6c1d93';
export const SENTINEL_PASSWORD = 'sentinel-pw-0b7e42';

const install = {
  allowInstall: process.env.DTSYNC_NO_INSTALL !== '1',
  notify: (line: string) => process.stderr.write(`${line}\n`),
};

export const startTestCluster = (): Promise<PrivateCluster> =>
  startPrivateCluster({ ...install, password: REDIS_PASSWORD });

export const startTestSentinel = (): Promise<PrivateSentinel> =>
  startPrivateSentinel({ ...install, password: REDIS_PASSWORD, sentinelPassword: SENTINEL_PASSWORD });

/** The config's `redis:` section for a Cluster, its password from the environment as in production. */
export const clusterSection = (prefix: string, c: PrivateCluster) => ({
  prefix,
  cluster: { nodes: c.nodes, password: '${TEST_REDIS_PASSWORD}' },
});

export const sentinelSection = (prefix: string, s: PrivateSentinel) => ({
  prefix,
  sentinel: {
    sentinels: s.sentinels,
    name: s.name,
    password: '${TEST_REDIS_PASSWORD}',
    sentinelPassword: '${TEST_SENTINEL_PASSWORD}',
  },
});

/** The environment of processes on a Cluster or Sentinel set: the passwords, and no REDIS_URL (refused beside them). */
export function setupEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _url, ...rest } = env;
  return { ...rest, TEST_REDIS_PASSWORD: REDIS_PASSWORD, TEST_SENTINEL_PASSWORD: SENTINEL_PASSWORD };
}

/** The test's own connections to the same setup, from the service's factory. */
export const clusterTarget = (c: PrivateCluster): RedisTarget => ({
  mode: 'cluster',
  nodes: c.nodes,
  password: Secret.of(REDIS_PASSWORD),
});

export const sentinelTarget = (s: PrivateSentinel): RedisTarget => ({
  mode: 'sentinel',
  sentinels: s.sentinels,
  name: s.name,
  password: Secret.of(REDIS_PASSWORD),
  sentinelPassword: Secret.of(SENTINEL_PASSWORD),
});
