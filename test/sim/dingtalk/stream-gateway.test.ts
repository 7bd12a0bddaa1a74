import { afterEach, describe, expect, it } from '@jest/globals';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../../sim/dingtalk/server.js';
import type { KnobsPatch } from '../../../sim/dingtalk/stream/knobs.js';
import { buildOrg } from '../../helpers/org-factory.js';
import { SimHttp } from '../../helpers/dingtalk-sim-http.js';
import { openCall, RawStream, type RawFrame } from '../../helpers/raw-stream.js';

let sims: DingTalkSimulator[] = [];
let streams: RawStream[] = [];
afterEach(async () => {
  for (const s of streams) s.close();
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
  streams = [];
});

async function start(stream: KnobsPatch = {}): Promise<DingTalkSimulator> {
  const sim = await startDingTalkSimulator({ org: buildOrg(), stream, corpId: 'dingcorp42' });
  sims.push(sim);
  return sim;
}

async function connect(sim: DingTalkSimulator, ticket?: string): Promise<RawStream> {
  const s = await RawStream.connect(sim, ticket);
  streams.push(s);
  return s;
}

const dataOf = (f: RawFrame | undefined) => JSON.parse(f?.data ?? 'null') as Record<string, unknown>;

describe('the simulated Stream gateway: the open call and the ticket', () => {
  it('answers {endpoint, ticket}; wrong credentials and a missing subscription are refused', async () => {
    const sim = await start();
    const ok = await openCall(sim);
    expect(ok).toEqual({
      status: 200,
      body: { endpoint: `${sim.url.replace('http', 'ws')}/connect`, ticket: expect.any(String) },
    });
    const wrong = await openCall(sim, { clientSecret: 'not-the-secret' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.ticket).toBeUndefined();
    expect((await openCall(sim, { subscriptions: [] })).status).toBe(400);
    expect(sim.control.stream.record().stats).toMatchObject({ opens: 1, opensDenied: 2 });
  });

  it('a ticket opens one connection only, and an expired ticket none', async () => {
    const sim = await start();
    const { body } = await openCall(sim);
    await connect(sim, String(body.ticket));
    await expect(RawStream.connect(sim, String(body.ticket))).rejects.toThrow('upgrade refused: 401');
    sim.control.stream.setKnobs({ ticketTtlMs: 0 });
    const expired = await openCall(sim);
    await expect(RawStream.connect(sim, String(expired.body.ticket))).rejects.toThrow('upgrade refused: 401');
  });
});

describe('the simulated Stream gateway: org mutations become contact events', () => {
  it('each mutation sends its event in the official shape, with a unique eventId and its birth in ms', async () => {
    const sim = await start();
    const s = await connect(sim);
    const c = sim.control;
    const user = sim.control.org().users[0]?.userid ?? '';
    const hired = (c.mutate({ op: 'hire', dept_id_list: [12] }) as { userid: string }).userid;
    c.mutate({ op: 'setUser', userid: user, set: { name: '新名字' } });
    c.mutate({ op: 'setUser', userid: user, set: { mobile: '13800000001' } });
    c.mutate({ op: 'moveUser', userid: user, dept_id_list: [22] });
    c.mutate({ op: 'activate', userid: hired });
    c.mutate({ op: 'leave', userid: hired });
    const dept = (c.mutate({ op: 'addDept', parent_id: 1, name: '新部门' }) as { dept: { dept_id: number } })
      .dept.dept_id;
    c.mutate({ op: 'renameDept', dept_id: dept, name: '新部门二' });
    c.mutate({ op: 'removeDept', dept_id: dept });
    await s.until(() => s.events().length === 9);

    const events = s.events();
    expect(events.map((e) => [e.headers.eventType, dataOf(e).userId ?? dataOf(e).deptId])).toEqual([
      ['user_add_org', [hired]],
      ['user_modify_org', [user]],
      ['user_modify_org', [user]],
      ['user_modify_org', [user]],
      ['user_active_org', [hired]],
      ['user_leave_org', [hired]],
      ['org_dept_create', [dept]],
      ['org_dept_modify', [dept]],
      ['org_dept_remove', [dept]],
    ]);
    expect(new Set(events.map((e) => e.headers.eventId)).size).toBe(9);
    for (const e of events) {
      expect(e.headers.eventCorpId).toBe('dingcorp42');
      expect(Math.abs(Number(e.headers.eventBornTime) - Date.now())).toBeLessThan(10_000);
      expect(typeof e.data).toBe('string');
    }
  });

  it("knobs send a leaver's userId as a string and department ids as strings", async () => {
    const sim = await start({ leaveUserIdAs: 'string', deptIdAs: 'string' });
    const s = await connect(sim);
    const user = sim.control.org().users[0]?.userid ?? '';
    sim.control.mutate({ op: 'leave', userid: user });
    sim.control.mutate({ op: 'renameDept', dept_id: 12, name: '改名' });
    await s.until(() => s.events().length === 2);
    expect(dataOf(s.events()[0]).userId).toBe(user);
    expect(dataOf(s.events()[1]).deptId).toEqual(['12']);
  });

  it('a churn sends one event per person', async () => {
    const sim = await start();
    const s = await connect(sim);
    const churn = sim.control.mutate({ op: 'churn', percent: 40, seed: 7 });
    if (churn.op !== 'churn') throw new Error('not a churn');
    const people = [...churn.hired, ...churn.left, ...churn.renamed, ...churn.moved];
    await s.until(() => s.events().length === people.length);
    expect(s.events().flatMap((e) => dataOf(e).userId as string[])).toEqual(expect.arrayContaining(people));
  });
});

describe('the simulated Stream gateway: pings and the HTTP control endpoint', () => {
  it('pings every pingIntervalMs with {opaque}, and records the echo', async () => {
    const sim = await start({ pingIntervalMs: 20 });
    const s = await connect(sim);
    await s.until(() => s.frames.length >= 2);
    const ping = s.frames[0];
    expect(ping).toMatchObject({ type: 'SYSTEM', headers: { topic: 'ping' } });
    expect(dataOf(ping)).toEqual({ opaque: expect.any(String) });
    if (ping !== undefined) s.pong(ping);
    const record = await sim.control.stream.until((r) => r.pongs.length === 1);
    expect(record.pongs[0]).toMatchObject({ opaque: dataOf(ping).opaque, matched: true });
  });

  it('emits, sets knobs and reports over /_sim/stream', async () => {
    const sim = await start();
    const http = new SimHttp(sim);
    const s = await connect(sim);
    expect((await http.post('/_sim/stream/knobs', { redeliverMs: 5 })).body).toMatchObject({
      redeliverMs: 5,
    });
    expect((await http.post('/_sim/stream/knobs', { redeliverMs: 'soon' })).status).toBe(400);
    const emitted = await http.post('/_sim/stream/emit', {
      eventType: 'org_admin_add',
      data: { userId: ['x'] },
    });
    await s.until(() => s.events().length === 1);
    expect(s.events()[0]?.headers.eventId).toBe(emitted.body.eventId);
    expect(((await http.getJson('/_sim/stream')) as { stats: { emitted: number } }).stats.emitted).toBe(1);
    expect((await http.post('/_sim/stream/disconnect', {})).body).toEqual({ connections: 1 });
  });
});
