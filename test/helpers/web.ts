import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/process/logger.js';
import { producerConnection } from '../../src/redis/connections.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { buildWebApp } from '../../src/web/app.js';
import type { LoginLimits } from '../../src/web/login-guard.js';
import { serviceEnv } from './service.js';
import type { SimEnv } from './sims.js';

/** Credentials of the test console: a user, and a token named `ci`. */
export const WEB_USER = 'admin';
export const WEB_PASSWORD = 'web-pw-3f9c1e';
export const WEB_TOKEN = 'tok-7d2a9b5e0c4f8a1b6e3d9c2f5a8b1e4d';

/** The `web:` section of the tests' config: secrets from the environment, as in production. */
export const WEB_SECTION = {
  host: '127.0.0.1',
  port: 8080,
  auth: {
    username: WEB_USER,
    password: '${TEST_WEB_PASSWORD}',
    tokens: [{ name: 'ci', token: '${TEST_WEB_TOKEN}' }],
  },
};

export const webEnv = (env: SimEnv): NodeJS.ProcessEnv => ({
  ...serviceEnv(env),
  TEST_WEB_PASSWORD: WEB_PASSWORD,
  TEST_WEB_TOKEN: WEB_TOKEN,
});

export const basic = (user = WEB_USER, password = WEB_PASSWORD) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const bearer = (token = WEB_TOKEN) => `Bearer ${token}`;

export interface WebUnderTest {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly queue: SyncQueue;
  readonly history: RunHistory;
  close(): Promise<void>;
}

/** The real web app on a loopback port, on the given Redis (the test Redis unless another). */
export async function startWebHere(
  env: SimEnv,
  configPath: string,
  redisUrl = process.env.REDIS_URL ?? '',
  o: { readonly loginLimits?: Partial<LoginLimits> } = {},
): Promise<WebUnderTest> {
  return startWebWith(configPath, webEnv(env), redisUrl, o);
}

/** The same, for a config whose secrets come from `vars` (no simulators). */
export async function startWebWith(
  configPath: string,
  vars: NodeJS.ProcessEnv,
  redisUrl = process.env.REDIS_URL ?? '',
  o: { readonly loginLimits?: Partial<LoginLimits> } = {},
): Promise<WebUnderTest> {
  const { config } = loadConfig({
    path: configPath,
    env: { ...process.env, ...vars },
    requireWeb: true,
  });
  const redis = producerConnection(redisUrl);
  const queue = openSyncQueue(redis, config.redis.prefix);
  queue.on('error', () => undefined);
  await queue.waitUntilReady();
  const history = new RunHistory(redis, new StateKeys(config.redis.prefix), config.history.keepRuns);
  const log = createLogger({ level: 'silent', destination: process.stderr });
  const app = await buildWebApp({ config, redis, queue, history, log, ...o });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    app,
    config,
    queue,
    history,
    async close() {
      await app.close();
      redis.disconnect(); // first: BullMQ's close would wait for a Redis that may be down
      await queue.close().catch(() => undefined);
    },
  };
}
