// `npm run bench:console -- [--people N] [--samples N] [--out FILE]`: the console at a company's
// size (issue 27). Seeds one profile through the project's own storage code (an initial run whose
// change log has 3 entries a person, 98 small runs, one held run disabling everyone), serves it
// from the real web app, and measures each answer's latency and size and the profile's Redis
// memory. Prints one JSON document (stdout and --out). Exits 1 only on a wrong answer.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load.js';
import { readEnv } from '../src/config/env.js';
import { createLogger } from '../src/process/logger.js';
import { openSyncQueue } from '../src/queue/queue.js';
import { producerConnection } from '../src/redis/connections.js';
import { RunHistory } from '../src/state/history.js';
import { StateKeys } from '../src/state/keys.js';
import { buildWebApp } from '../src/web/app.js';
import { startPrivateRedis } from '../sim/redis/private-redis.js';
import { seedOrg } from '../test/helpers/run-seed.js';
import { measure, type Answer } from './console-measure.js';
import { seedProfile } from './console-seed.js';

const log = (s: string) => process.stderr.write(`[bench:console] ${s}\n`);

/** The targets of issue 27, per answer and for the profile's Redis memory. */
export const CONSOLE_TARGETS = { p95Ms: 200, bytes: 256 * 1024, redisMB: 64 } as const;

function args() {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '100000' },
      samples: { type: 'string', default: '30' },
      out: { type: 'string' },
    },
  });
  return { people: Number(values.people), samples: Number(values.samples), out: values.out };
}

/** A config for the web role alone: loopback, no login (it measures the answers, not the login). */
function writeConfig(dir: string, prefix: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'pds.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const config = {
    redis: { prefix },
    web: { host: '127.0.0.1', port: 8080, auth: 'none' },
    history: { keepRuns: 100 },
    log: { level: 'warn' },
    profiles: [
      {
        id: 'bench',
        dingtalk: {
          appKey: 'bench',
          appSecret: 'bench-secret',
          oapiBaseUrl: 'http://127.0.0.1:9',
          apiBaseUrl: 'http://127.0.0.1:9',
        },
        pds: { domainId: 'bench', baseUrl: 'http://127.0.0.1:9', clientId: 'bench', privateKeyFile: keyFile },
      },
    ],
  };
  const path = join(dir, 'dtsync.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

type Client = ReturnType<typeof producerConnection>;

/** Every key of the profile's prefix (SCAN, a batch at a time). */
async function prefixKeys(redis: Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** The profile's Redis memory: the sum of MEMORY USAGE over its keys (every element counted). */
async function redisMB(redis: Client, prefix: string): Promise<number> {
  let bytes = 0;
  for (const key of await prefixKeys(redis, prefix))
    bytes += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  return Math.round((bytes / 1024 / 1024) * 100) / 100;
}

async function main(): Promise<number> {
  const a = args();
  const env = readEnv();
  const privateRedis =
    env.REDIS_URL === undefined
      ? await startPrivateRedis({ allowInstall: !env.DTSYNC_NO_INSTALL, notify: log })
      : undefined;
  const redisUrl = privateRedis?.url ?? env.REDIS_URL ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-bench-console-'));
  const prefix = `bench-console-${process.pid}`;
  const redis = producerConnection(redisUrl);
  const queue = openSyncQueue(redis, prefix);
  try {
    const { config } = loadConfig({ path: writeConfig(dir, prefix), requireWeb: true });
    const history = new RunHistory(redis, new StateKeys(prefix), config.history.keepRuns);
    const org = seedOrg(a.people, { divisions: 20, teamsEach: 25 });
    const t0 = performance.now();
    const seeded = await seedProfile(history, org, 'bench', log);
    log(`seeded ${a.people} people in ${Math.round((performance.now() - t0) / 1000)} s`);
    const app = await buildWebApp({ config, redis, queue, history, log: createLogger({ level: 'silent' }) });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    let answers: Record<string, Answer>;
    let wrong: string[];
    try {
      ({ answers, wrong } = await measure(url, org, seeded, a.samples));
    } finally {
      await app.close();
    }
    const result = {
      date: new Date().toISOString(),
      people: a.people,
      changeLogEntries: seeded.initialEntries,
      runs: seeded.runs,
      personIndex: 'not measured: the per-person index and person page are not on this branch',
      answers,
      redisMB: await redisMB(redis, prefix),
      targets: CONSOLE_TARGETS,
      wrong,
    };
    const json = JSON.stringify(result, null, 2);
    process.stdout.write(`${json}\n`);
    if (a.out !== undefined) writeFileSync(a.out, `${json}\n`);
    for (const w of wrong) log(`WRONG: ${w}`);
    return wrong.length === 0 ? 0 : 1;
  } finally {
    const keys = await prefixKeys(redis, prefix);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await queue.close().catch(() => undefined);
    redis.disconnect();
    await privateRedis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
