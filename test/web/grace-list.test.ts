import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Org } from '../../bench/independent-check.js';
import { runCli } from '../helpers/cli.js';
import { serviceEnv, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { WebClient } from '../helpers/web-client.js';
import { WEB_SECTION, basic, startWebHere, type WebUnderTest } from '../helpers/web.js';

/*
 * The console and `dtsync status` list who is in grace and until when (issue 28.2), from the
 * state the runs keep.
 */

let env: SimEnv;
let cfg: ReturnType<typeof writeServiceConfig>;
let web: WebUnderTest;
let gone = '';
let name = '';
let until = '';

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 28, users: 12, departments: 2 } },
    name: 'grace-list',
  });
  cfg = writeServiceConfig(env, { web: WEB_SECTION });
  web = await startWebHere(env, cfg.path);
  const p = env.profile();
  await env.run(p);
  const person = (env.dingtalk.control.org() as Org).users[0]!;
  gone = person.userid;
  name = person.name;
  env.dingtalk.control.mutate({ op: 'leave', userid: gone, record: false });
  const r = await env.run(p);
  until = r.grace?.[0]?.until ?? '';
});

afterAll(async () => {
  await web.close();
  cfg.cleanup();
  await env.close();
});

describe('who is in grace, and until when', () => {
  it('dtsync status --json lists the person in grace with the end of the grace', async () => {
    const r = await runCli(['status', 'acme', '--json', '--config', cfg.path], serviceEnv(env));
    expect(r.code).toBe(0);
    const [status] = JSON.parse(r.stdout) as [{ inGrace: unknown[] }];
    expect(status.inGrace).toEqual([expect.objectContaining({ userid: gone, name, until })]);
    const text = await runCli(['status', 'acme', '--config', cfg.path], serviceEnv(env));
    expect(text.stdout).toContain(`in grace: ${name} (${gone}) until`);
  });

  it('the console’s status page lists them too', async () => {
    const page = await new WebClient(web.url).call('GET', '/', { headers: { authorization: basic() } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${name}（${gone}）：宽限至`);
  });
});
