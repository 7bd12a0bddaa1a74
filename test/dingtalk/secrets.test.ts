import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import { clientFor, rejectionOf } from '../helpers/dingtalk-harness.js';

let sims: DingTalkSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function sim(...args: Parameters<typeof startDingTalkSimulator>): Promise<DingTalkSimulator> {
  const s = await startDingTalkSimulator(...args);
  sims.push(s);
  return s;
}

/** The token DingTalk has issued to the app: gettoken returns the same one while it is valid. */
async function currentToken(s: DingTalkSimulator): Promise<string> {
  const res = await fetch(
    `${s.url}/gettoken?appkey=${s.appKey}&appsecret=${encodeURIComponent(s.appSecret)}`,
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Everything an operator could ever see of a failure. */
function everythingSeen(err: unknown, logLines: readonly string[]): string {
  const e = err as Error;
  return [e.message, e.stack ?? '', inspect(err, { depth: 5 }), JSON.stringify(err), ...logLines].join('\n');
}

const SECRET = 'Sup3r-Secret-Value-4711';

describe('errors and logs carry no secrets', () => {
  it('a gettoken 5xx: neither the appSecret nor the query appear in any log line, message or stack', async () => {
    const s = await sim({ appSecret: SECRET, faults: { serverErrorRate: 1, faultPaths: ['/gettoken'] } });
    const { client, logs } = clientFor(s);
    const err = await rejectionOf(client.authScopes());
    expect(err).toBeInstanceOf(DingTalkError);
    expect((err as DingTalkError).path).toBe('/gettoken');
    expect(logs.lines.length).toBeGreaterThan(0);
    const seen = everythingSeen(err, logs.lines);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain('appsecret=');
  });

  it.each(['legacy', 'v1'] as const)(
    'bad credentials (%s): the wrong appSecret appears nowhere',
    async (tokenApi) => {
      const s = await sim({ appSecret: SECRET });
      const wrong = 'Wr0ng-Secret-Value-0815';
      const { client, logs } = clientFor(s, { dingtalk: { appSecret: wrong, tokenApi } });
      const err = await rejectionOf(client.authScopes());
      expect((err as DingTalkError).kind).toBe('credentials');
      const seen = everythingSeen(err, logs.lines);
      expect(seen).not.toContain(wrong);
      expect(seen).not.toContain(SECRET);
    },
  );

  it('a network error (closed port): the appSecret appears nowhere', async () => {
    const url = await closedPortUrl();
    const { client, logs } = clientFor({ url, appKey: 'dingapp', appSecret: SECRET });
    const err = await rejectionOf(client.authScopes());
    expect(err).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', path: '/gettoken' });
    const seen = everythingSeen(err, logs.lines);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain('127.0.0.1');
  });

  it('a 60011 after a good token: neither the appSecret nor the access token appear anywhere', async () => {
    const s = await sim({
      appSecret: SECRET,
      faults: { missingApiPermissions: ['qyapi_get_department_member'] },
    });
    const { client, logs } = clientFor(s);
    const err = await rejectionOf(client.countUsers());
    expect(err).toMatchObject({ kind: 'permission', code: '60011', path: '/topapi/user/count' });
    const token = await currentToken(s);
    expect(token.length).toBeGreaterThan(10);
    const seen = everythingSeen(err, logs.lines);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(token);
    expect(seen).not.toContain('access_token=');
    // the debug lines are there, with path and errcode
    expect(logs.text()).toContain('"path":"/topapi/user/count"');
    expect(logs.text()).toContain('"errcode":"60011"');
  });
});
