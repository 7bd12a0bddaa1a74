import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../free-port.js';
import { locate, RedisSetupError, tryLocate, type InstallOptions } from './binaries.js';
import { baseArgs, spawnRedis, stopAll, type RedisProcess } from './redis-process.js';

/**
 * A real, private Sentinel set for tests: a master, one replica and three sentinels on loopback
 * ports (quorum 2, `down-after-milliseconds` 1000), the master and the sentinels each with a
 * password. `killMaster` crashes the master and resolves once the sentinels have promoted the
 * replica, so a test waits on the failover itself, never on a guessed time.
 */
export interface PrivateSentinel {
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  /** The master group's name. */
  readonly name: string;
  readonly password: string;
  readonly sentinelPassword: string;
  /** SIGKILLs the current master; resolves with the new master's port after `+switch-master`. */
  killMaster(): Promise<number>;
  /**
   * A failover of a live master (SENTINEL FAILOVER); resolves once the old master serves as a
   * replica, so its clients' next write is refused there (READONLY).
   */
  failover(): Promise<void>;
  stop(): Promise<void>;
}

export interface PrivateSentinelOptions extends InstallOptions {
  readonly password: string;
  readonly sentinelPassword: string;
}

const NAME = 'dtsync';

async function ask<T>(port: number, password: string, fn: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new RedisSetupError(`the private Sentinel set never reached: ${what}`);
    await delay(50);
  }
}

export async function startPrivateSentinel(options: PrivateSentinelOptions): Promise<PrivateSentinel> {
  const server = locate('redis-server', options);
  // Debian ships redis-sentinel as its own package; redis-server --sentinel is the same program
  let sentinelBin: string | undefined;
  try {
    sentinelBin = tryLocate('redis-sentinel', options);
  } catch (err) {
    options.notify(
      `${err instanceof Error ? err.message : String(err)}: running redis-server --sentinel instead`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-sentinel-'));
  const { password, sentinelPassword } = options;
  // a replica (re)syncs at once: Redis would wait 5 s for more replicas before a diskless sync
  const auth = ['--requirepass', password, '--masterauth', password, '--repl-diskless-sync-delay', '0'];
  const data: RedisProcess[] = [];
  // a directory each: a replica's full sync writes its RDB file there
  const own = (port: number) => {
    const d = join(dir, String(port));
    mkdirSync(d);
    return d;
  };
  const sentinels: RedisProcess[] = [];
  try {
    const masterPort = await freePort();
    data.push(
      await spawnRedis(server, [...baseArgs(masterPort, own(masterPort)), ...auth], masterPort, password),
    );
    const replicaPort = await freePort();
    const replicaArgs = [
      ...baseArgs(replicaPort, own(replicaPort)),
      ...auth,
      '--replicaof',
      '127.0.0.1',
      String(masterPort),
    ];
    data.push(await spawnRedis(server, replicaArgs, replicaPort, password));
    await until('the replica in sync', async () =>
      /master_link_status:up/.test((await ask(replicaPort, password, (r) => r.info('replication'))) ?? ''),
    );
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          // the sentinels share one password, which they also use with each other
          `requirepass ${sentinelPassword}`,
          `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} 2`,
          `sentinel auth-pass ${NAME} ${password}`,
          `sentinel down-after-milliseconds ${NAME} 1000`,
          `sentinel failover-timeout ${NAME} 3000`,
          `sentinel parallel-syncs ${NAME} 1`,
          '',
        ].join('\n'),
      );
      const args = sentinelBin === undefined ? [conf, '--sentinel'] : [conf];
      sentinels.push(await spawnRedis(sentinelBin ?? server, args, port, sentinelPassword));
    }
    // a failover needs every sentinel to know the replica and its peers
    for (const s of sentinels) {
      await until(`sentinel ${s.port} knowing the replica and both peers`, async () => {
        const seen = await ask(s.port, sentinelPassword, async (r) => ({
          replicas: ((await r.call('SENTINEL', 'REPLICAS', NAME)) as unknown[]).length,
          peers: ((await r.call('SENTINEL', 'SENTINELS', NAME)) as unknown[]).length,
        }));
        return seen?.replicas === 1 && seen.peers === 2;
      });
    }
  } catch (err) {
    await stopAll([...sentinels, ...data], dir);
    throw err;
  }
  const port0 = () => sentinels[0]?.port ?? 0;
  /** Does `act` to the current master; resolves with the new master's port once the sentinels switched. */
  const switchMaster = async (act: (master: RedisProcess) => Promise<unknown>): Promise<number> => {
    const sub = new Redis({ host: '127.0.0.1', port: port0(), password: sentinelPassword });
    sub.on('error', () => undefined);
    try {
      const switched = new Promise<number>((resolve) =>
        sub.on('message', (_channel: string, text: string) => resolve(Number(text.split(' ')[4]))),
      );
      await sub.subscribe('+switch-master');
      const addr = await ask(port0(), sentinelPassword, async (r) => {
        const reply = (await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)) as string[];
        return Number(reply[1]);
      });
      const master = data.find((p) => p.port === addr && !p.exited);
      if (master === undefined) throw new RedisSetupError(`the master (port ${String(addr)}) is not ours`);
      await act(master);
      const to = await switched;
      // a live old master is back as a replica in sync: the set can fail over again. The
      // sentinels demote it at their next look at it, up to 10 s on; this does the same now
      if (!master.exited) {
        await ask(master.port, password, (r) => r.call('REPLICAOF', '127.0.0.1', String(to)));
        await until(`the old master ${master.port} a replica in sync`, async () =>
          /role:slave[\s\S]*master_link_status:up/.test(
            (await ask(master.port, password, (r) => r.info('replication'))) ?? '',
          ),
        );
      }
      return to;
    } finally {
      sub.disconnect();
    }
  };
  const sentinelNodes = sentinels.map((s) => ({ host: '127.0.0.1', port: s.port }));
  let stopping: Promise<void> | undefined;
  return {
    sentinels: sentinelNodes,
    name: NAME,
    password,
    sentinelPassword,
    async killMaster() {
      return switchMaster(async (master) => master.kill('SIGKILL'));
    },
    async failover() {
      await switchMaster(async () => {
        const reply = await ask(port0(), sentinelPassword, (r) => r.call('SENTINEL', 'FAILOVER', NAME));
        if (reply !== 'OK') throw new RedisSetupError('the sentinels refused SENTINEL FAILOVER');
      });
    },
    stop() {
      stopping ??= stopAll([...sentinels, ...data], dir);
      return stopping;
    },
  };
}
