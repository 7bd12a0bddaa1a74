import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startConsole } from '../../src/cli/demo/console.js';
import { translator } from '../../src/i18n/catalog.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/process/logger.js';
import { Shutdown } from '../../src/process/shutdown.js';
import { CliError } from '../../src/errors/cli-error.js';
import { ExitCode } from '../../src/errors/exit-code.js';
import { targetOf } from '../../src/config/redis-target.js';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { WEB_SECTION, webEnv } from '../helpers/web.js';

/**
 * The demo's console binds its port only after the stack has started; a port taken in between
 * (by another demo) is met where it is bound.
 */

let env: SimEnv;
let holder: Server;
let heldPort: number;
const cleanups: (() => void | Promise<void>)[] = [];
const lang = { locale: 'en' as const, t: translator('en') };

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 5, users: 5, departments: 1 } },
    name: 'demo-console',
  });
  holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const address = holder.address();
  heldPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await new Promise<void>((r) => holder.close(() => r()));
  await env.close();
});

/** A role context whose config puts the console on the port another program holds. */
function contextOnHeldPort() {
  const cfg = writeServiceConfig(env, { web: { ...WEB_SECTION, port: heldPort } });
  cleanups.push(cfg.cleanup);
  const loaded = loadConfig({ path: cfg.path, env: { ...process.env, ...webEnv(env) }, requireWeb: true });
  const log = createLogger({ level: 'silent' });
  const shutdown = new Shutdown(log, 10_000);
  cleanups.push(() => shutdown.run('test done'));
  return { loaded, configPath: cfg.path, redis: targetOf(process.env.REDIS_URL ?? ''), log, shutdown };
}

describe("the demo's console port", () => {
  it('the default port, taken after the demo started, gives way to a free one where the console binds it', async () => {
    const notes: string[] = [];
    const web = await startConsole(contextOnHeldPort(), {
      portFallback: true,
      lang,
      note: (l) => notes.push(l),
    });
    expect(web.port).not.toBe(heldPort);
    expect(notes).toEqual([`port ${heldPort} is taken: the console uses port ${web.port}`]);
    const res = await fetch(`http://127.0.0.1:${web.port}/healthz`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
  });

  it('a --port taken after the demo started is refused as taken (exit 2), not a stack trace', async () => {
    const refused = startConsole(contextOnHeldPort(), { portFallback: false, lang, note: () => undefined });
    await expect(refused).rejects.toBeInstanceOf(CliError);
    await expect(refused).rejects.toMatchObject({
      exitCode: ExitCode.Usage,
      code: 'port_taken',
      message: `port ${heldPort} is taken: choose another with --port`,
    });
  });
});
