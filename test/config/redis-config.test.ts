import { afterAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { configProblemLine } from '../../src/config/problems.js';
import { translator } from '../../src/i18n/catalog.js';
import { describeRedis, redisTargetOf, sameRedis } from '../../src/config/redis-target.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PROFILE = `
profiles:
  - id: acme
    dingtalk: { appKey: k, appSecret: s }
    pds: { domainId: bj1, clientId: c, privateKey: k }
`;

const SENTINEL = `
  sentinel:
    sentinels: [{ host: 10.0.0.1, port: 26379 }, { host: 10.0.0.2, port: 26379 }]
    name: mymaster
    password: "\${MASTER_PW}"
    sentinelPassword: "\${SENTINEL_PW}"`;

const CLUSTER = `
  cluster:
    nodes: [{ host: 10.0.1.1, port: 7000 }]
    password: "\${CLUSTER_PW}"`;

const secrets = {
  MASTER_PW: 'master-pw-91ab',
  SENTINEL_PW: 'sentinel-pw-27cd',
  CLUSTER_PW: 'cluster-pw-55ef',
};

function load(redis: string, env: NodeJS.ProcessEnv = secrets): LoadedConfig | string[] {
  const path = tmp.write(`r-${Math.random()}.yaml`, `locale: en\nredis:${redis}\n${PROFILE}`);
  try {
    return loadConfig({ path, env });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

function loaded(redis: string, env?: NodeJS.ProcessEnv): LoadedConfig {
  const r = load(redis, env);
  if (Array.isArray(r)) throw new Error(r.join('\n'));
  return r;
}

describe('redis config', () => {
  it('redis.sentinel and redis.cluster each exclude redis.url, and each other, saying so', () => {
    expect(load(`${SENTINEL}\n  url: redis://10.0.0.9:6379`)).toEqual([
      'redis.url: cannot be set together with redis.sentinel: the service finds Redis through the sentinel',
    ]);
    expect(load(`${CLUSTER}\n  url: redis://10.0.0.9:6379`)).toEqual([
      'redis.url: cannot be set together with redis.cluster: the service finds Redis through the cluster',
    ]);
    expect(load(`${SENTINEL}${CLUSTER}`)).toEqual(['redis.cluster: set sentinel or cluster, not both']);
    expect(load('\n  cluster: { nodes: [] }')).toEqual([
      'redis.cluster.nodes: list at least one address (host and port)',
    ]);
  });

  it('redis.sentinel and redis.cluster each exclude REDIS_URL, saying so', () => {
    expect(load(CLUSTER, { ...secrets, REDIS_URL: 'redis://10.0.0.9:6379' })).toEqual([
      'redis: REDIS_URL is set in the environment, but the config uses redis.cluster: unset REDIS_URL or remove redis.cluster',
    ]);
    expect(load(SENTINEL, { ...secrets, REDIS_URL: 'redis://10.0.0.9:6379' })).toEqual([
      'redis: REDIS_URL is set in the environment, but the config uses redis.sentinel: unset REDIS_URL or remove redis.sentinel',
    ]);
    // a single Redis: REDIS_URL still overrides redis.url
    const single = loaded('\n  url: redis://10.0.0.8:6379', { REDIS_URL: 'redis://10.0.0.9:6379' });
    expect(redisTargetOf(single.config, { REDIS_URL: 'redis://10.0.0.9:6379' })).toEqual({
      mode: 'single',
      url: 'redis://10.0.0.9:6379',
    });
  });

  it('a Cluster needs a prefix with a hash tag, so that every key of the deployment shares one slot', () => {
    expect(load(`${CLUSTER}\n  prefix: dtsync`)).toEqual([
      "redis.prefix: on a Redis Cluster the prefix needs a hash tag such as {dtsync}, so that BullMQ's keys and the service's share one slot",
    ]);
    expect(load(`${CLUSTER}\n  prefix: "{}dtsync"`)).toHaveLength(1); // an empty tag hashes the whole key
    expect(load(`${CLUSTER}\n  prefix: "tenant-a:{dtsync}"`)).not.toBeInstanceOf(Array);
    expect(load(`${SENTINEL}\n  prefix: dtsync`)).not.toBeInstanceOf(Array); // one master: no slots
  });

  it('the config problems of redis read in Chinese too', () => {
    const zh = (yaml: string, env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ path: tmp.write(`zh-${Math.random()}.yaml`, `redis:${yaml}\n${PROFILE}`), env });
      } catch (err) {
        if (err instanceof ConfigError)
          return err.issues.map((i) => configProblemLine(i, translator('zh-CN')));
      }
      return [];
    };
    expect(zh(`${CLUSTER}\n  prefix: dtsync`, secrets)).toEqual([
      'redis.prefix：Redis Cluster 要求前缀带有哈希标签（例如 {dtsync}），让 BullMQ 和本服务的所有键落在同一个槽中',
    ]);
    expect(zh(CLUSTER, { ...secrets, REDIS_URL: 'redis://10.0.0.9:6379' })).toEqual([
      'redis：环境变量 REDIS_URL 已设置，而配置使用 redis.cluster：请取消 REDIS_URL，或去掉 redis.cluster',
    ]);
  });

  it('the Redis passwords never show in the config, the target or its description', () => {
    const s = loaded(SENTINEL);
    const c = loaded(CLUSTER);
    const shown = [s, c].flatMap((l) => [
      inspect(l.config, { depth: 9 }),
      JSON.stringify(l.config),
      inspect(redisTargetOf(l.config, {}), { depth: 9 }),
      describeRedis(redisTargetOf(l.config, {})),
    ]);
    for (const text of shown) for (const pw of Object.values(secrets)) expect(text).not.toContain(pw);
    expect(describeRedis(redisTargetOf(s.config, {}))).toBe(
      'sentinel mymaster@10.0.0.1:26379,10.0.0.2:26379',
    );
    expect(describeRedis(redisTargetOf(c.config, {}))).toBe('cluster 10.0.1.1:7000');
    expect(describeRedis('redis://:url-pw-3@10.0.0.9:6379')).toBe('redis://:***@10.0.0.9:6379');
  });

  it('a reload that changes only a Redis password still counts as a change of Redis', () => {
    const a = redisTargetOf(loaded(CLUSTER).config, {});
    const b = redisTargetOf(loaded(CLUSTER, { ...secrets, CLUSTER_PW: 'another' }).config, {});
    expect(sameRedis(a, redisTargetOf(loaded(CLUSTER).config, {}))).toBe(true);
    expect(sameRedis(a, b)).toBe(false);
  });

  it('without url, sentinel or cluster the service uses the local default Redis', () => {
    expect(redisTargetOf(loaded('\n  prefix: "{x}"').config, {})).toEqual({
      mode: 'single',
      url: 'redis://127.0.0.1:6379',
    });
  });
});
