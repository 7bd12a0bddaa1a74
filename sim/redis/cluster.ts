import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../free-port.js';
import { locate, RedisSetupError, type InstallOptions } from './binaries.js';
import { baseArgs, spawnRedis, stopAll, type RedisProcess } from './redis-process.js';

/**
 * A real, private Redis Cluster for tests: `masters` redis-servers in cluster mode on loopback
 * ports, joined by `redis-cli --cluster create … --cluster-replicas 0`, with a password, no
 * persistence. The service reaches it as an operator's Cluster: through seed nodes.
 */
export interface PrivateCluster {
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  readonly password: string;
  stop(): Promise<void>;
}

export interface PrivateClusterOptions extends InstallOptions {
  /** @defaultValue 3, the fewest masters redis-cli creates a cluster with */
  readonly masters?: number;
  readonly password: string;
}

async function clusterOk(port: number, password: string): Promise<boolean> {
  const probe = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return /cluster_state:ok/.test(String(await probe.call('CLUSTER', 'INFO')));
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function startPrivateCluster(options: PrivateClusterOptions): Promise<PrivateCluster> {
  const server = locate('redis-server', options);
  const cli = locate('redis-cli', options);
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-cluster-'));
  const { password } = options;
  const processes: RedisProcess[] = [];
  try {
    for (let i = 0; i < (options.masters ?? 3); i++) {
      const port = await freePort();
      // the bus port is chosen too: port + 10000 may be taken, or above 65535
      const bus = await freePort();
      const args = [
        ...baseArgs(port, dir),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-port',
        String(bus),
        '--cluster-node-timeout',
        '2000',
        '--requirepass',
        password,
        '--masterauth',
        password,
      ];
      processes.push(await spawnRedis(server, args, port, password));
    }
    const addresses = processes.map((p) => `127.0.0.1:${p.port}`);
    const create = spawnSync(
      cli,
      [
        '--no-auth-warning',
        '-a',
        password,
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new RedisSetupError(
        `redis-cli --cluster create failed: ${(create.stdout + create.stderr).trim()}`,
      );
    // every node must agree the slots are covered before a client asks any of them
    const deadline = Date.now() + 20_000;
    for (const p of processes) {
      while (!(await clusterOk(p.port, password))) {
        if (Date.now() > deadline)
          throw new RedisSetupError(`cluster node ${p.port} never reported cluster_state:ok`);
        await delay(50);
      }
    }
  } catch (err) {
    await stopAll(processes, dir);
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    nodes: processes.map((p) => ({ host: '127.0.0.1', port: p.port })),
    password,
    stop() {
      stopping ??= stopAll(processes, dir);
      return stopping;
    },
  };
}
