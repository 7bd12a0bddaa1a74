import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { Secret } from '../../src/config/secret.js';
import {
  assertRedisReachable,
  producerConnection,
  workerConnection,
  type RedisClient,
} from '../../src/redis/connections.js';
import type { RedisTarget } from '../../src/config/redis-target.js';
import { RedisUnreachableError } from '../../src/errors/redis-unreachable-error.js';
import { freePort } from '../../sim/free-port.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const PW = 'factory-pw-71c2';
const made: RedisClient[] = [];
afterAll(() => {
  for (const c of made) c.disconnect();
});

const sentinel = (port: number): RedisTarget => ({
  mode: 'sentinel',
  sentinels: [{ host: '127.0.0.1', port }],
  name: 'm',
  password: Secret.of(PW),
  sentinelPassword: Secret.of(`${PW}-s`),
});
const cluster = (port: number): RedisTarget => ({
  mode: 'cluster',
  nodes: [{ host: '127.0.0.1', port }],
  password: Secret.of(PW),
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the one Redis connection factory', () => {
  it('no code of the service makes a Redis connection but the factory (src/redis/connections.ts)', () => {
    const makers = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'workers'))]
      .filter((f) =>
        /new (Redis|Cluster|IORedis)\b|\.createClient\(|\bRedis\.Cluster\b/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(ROOT, f));
    expect(makers).toEqual(['src/redis/connections.ts']);
  });

  it('every use gets ioredis’s own Sentinel client or Cluster client, with the passwords', () => {
    const lazy = { lazyConnect: true };
    for (const open of [workerConnection, producerConnection]) {
      const s = open(sentinel(26379), lazy);
      const c = open(cluster(7000), lazy);
      made.push(s, c);
      expect(s).toBeInstanceOf(Redis);
      expect((s as Redis).options).toMatchObject({
        sentinels: [{ host: '127.0.0.1', port: 26379 }],
        name: 'm',
        password: PW,
        sentinelPassword: `${PW}-s`,
      });
      expect(c).toBeInstanceOf(Cluster);
      expect((c as Cluster).options.redisOptions).toMatchObject({ password: PW });
    }
    // BullMQ's Workers need commands that wait through an outage, on a Cluster's nodes too
    const w = workerConnection(cluster(7000), { lazyConnect: true }) as Cluster;
    made.push(w);
    expect(w.options.redisOptions?.maxRetriesPerRequest).toBeNull();
  });

  it('an unreachable Cluster fails fast with one line that names it, never its password', async () => {
    const port = await freePort(); // nothing listens there
    const err = await assertRedisReachable(cluster(port), 1000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedisUnreachableError);
    expect((err as RedisUnreachableError).url).toBe(`cluster 127.0.0.1:${port}`);
    expect((err as Error).message).not.toContain(PW);
  });

  it('an operator command on an unreachable Sentinel set exits 5 with one line that names it, never its password', async () => {
    const port = await freePort();
    const tmp = tempDir();
    const yaml = `locale: en
redis:
  sentinel: { sentinels: [{ host: 127.0.0.1, port: ${port} }], name: m, password: "\${PW_VAR}" }
profiles:
  - id: acme
    dingtalk: { appKey: k, appSecret: s }
    pds: { domainId: bj1, clientId: c, privateKey: k }
`;
    const r = await runCli(['status', '--config', tmp.write('s.yaml', yaml)], { PW_VAR: PW });
    tmp.cleanup();
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`Redis at sentinel m@127.0.0.1:${port} is unreachable`);
    expect(r.stderr + r.stdout).not.toContain(PW);
  });
});
