import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDingTalkSimulatorHost, type DingTalkSimulatorHost } from '../../../sim/dingtalk/host.js';
import { RawStream } from '../../helpers/raw-stream.js';

let host: DingTalkSimulatorHost;
const streams: RawStream[] = [];

beforeAll(async () => {
  host = await startDingTalkSimulatorHost({
    apps: [
      { appKey: 'app-a', orgSpec: { seed: 3, users: 12, departments: 3 } },
      { appKey: 'app-b', orgSpec: { seed: 4, users: 7, departments: 2 } },
    ],
  });
});

afterAll(async () => {
  for (const s of streams) s.close();
  await host?.close();
});

const post = async (url: string, body: unknown) =>
  (await (
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as Record<string, unknown>;

describe('the DingTalk simulator host: many apps in one process', () => {
  it('answers each app at its own base URL, with its own organisation and counters', async () => {
    const [a, b] = host.apps;
    const count = async (app: typeof a) => {
      const { access_token } = (await (
        await fetch(
          `${app!.url}/gettoken?appkey=${app!.appKey}&appsecret=${encodeURIComponent(app!.appSecret)}`,
        )
      ).json()) as { access_token: string };
      return post(`${app!.url}/topapi/user/count?access_token=${access_token}`, { only_active: false });
    };
    expect(await count(a)).toMatchObject({ errcode: 0, result: { count: 12 } });
    expect(await count(b)).toMatchObject({ errcode: 0, result: { count: 7 } });
    expect(a!.control.counters().calls['/topapi/user/count']).toBe(1);
    expect(b!.control.counters().calls['/topapi/user/count']).toBe(1);
    // a path under no app is nobody's
    expect((await fetch(`${host.url}/app-c/gettoken?appkey=app-c&appsecret=x`)).status).toBe(404);
  });

  it("serves each app's Stream gateway under its base URL, with its own organisation's events", async () => {
    const [a, b] = host.apps;
    const sa = await RawStream.connect(a!);
    const sb = await RawStream.connect(b!);
    streams.push(sa, sb);
    a!.control.mutate({ op: 'hire' });
    await sa.until(() => sa.events().length === 1);
    b!.control.mutate({ op: 'hire' });
    await sb.until(() => sb.events().length === 1);
    expect(sa.events()).toHaveLength(1);
    const corpOf = (s: RawStream) => s.events()[0]?.headers.eventCorpId;
    expect(corpOf(sa)).toBe(a!.corpId);
    expect(corpOf(sb)).toBe(b!.corpId);
  });
});
