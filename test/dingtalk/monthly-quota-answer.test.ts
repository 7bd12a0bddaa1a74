import { afterEach, describe, expect, it } from '@jest/globals';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { problemText } from '../../src/errors/problem.js';
import { translator } from '../../src/i18n/catalog.js';
import type { MonthlyCallMeter } from '../../src/dingtalk/types.js';
import { problemOf } from '../../src/report/problem.js';
import { rejectionOf, startSimAndClient, type SimAndClient } from '../helpers/dingtalk-harness.js';

let open: SimAndClient[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

/** A meter that keeps what the client told it. */
function recordingMeter(): MonthlyCallMeter & { counted: string[]; refusedOn: string[] } {
  const counted: string[] = [];
  const refusedOn: string[] = [];
  return { counted, refusedOn, count: (p) => counted.push(p), refused: (p) => refusedOn.push(p) };
}

const LISTSUB = '/topapi/v2/department/listsub';

describe("DingTalk's monthly quota answer", () => {
  it.each(['plain', 'sub_code'] as const)(
    'legacy 90020 (%s form) fails at once as quota, naming the API that answered it',
    async (form) => {
      const monthly = recordingMeter();
      const s = await startSimAndClient(
        { faults: { monthlyQuota: { quota: 2, used: 0, paths: [LISTSUB], form } } },
        { monthly },
      );
      open.push(s);
      await s.client.listSubDepartments(1);
      await s.client.listSubDepartments(1);
      const err = (await rejectionOf(s.client.listSubDepartments(1))) as DingTalkError;
      expect(err).toBeInstanceOf(DingTalkError);
      expect(err).toMatchObject({
        kind: 'quota',
        code: '90020',
        path: LISTSUB,
        permanent: true,
        attempts: 1,
      });
      expect(s.sim.control.faults().monthlyQuota?.used).toBe(3);
      expect(monthly.refusedOn).toEqual([LISTSUB]);
      expect(monthly.counted.filter((p) => p === LISTSUB)).toHaveLength(3);
      expect(problemText(problemOf(err), translator('zh-CN'))).toContain(
        `钉钉本月接口调用量已用完（${LISTSUB} 返回 90020）`,
      );
    },
  );

  it('the new API answers 403 Forbidden.AccessDenied.ApiCountLimitForOrg: quota, not a permission', async () => {
    const monthly = recordingMeter();
    const s = await startSimAndClient(
      { faults: { monthlyQuota: { quota: 0, paths: ['/v1.0/oauth2/accessToken'] } } },
      { dingtalk: { tokenApi: 'v1' }, monthly },
    );
    open.push(s);
    const err = (await rejectionOf(s.client.authenticate())) as DingTalkError;
    expect(err).toMatchObject({
      kind: 'quota',
      code: 'Forbidden.AccessDenied.ApiCountLimitForOrg',
      httpStatus: 403,
      path: '/v1.0/oauth2/accessToken',
      permanent: true,
    });
    expect(err.message).toContain('调用量:1次,额度:0次');
    expect(monthly.refusedOn).toEqual(['/v1.0/oauth2/accessToken']);
    expect(problemText(problemOf(err), translator('en'))).toContain(
      "DingTalk's monthly call quota is spent (Forbidden.AccessDenied.ApiCountLimitForOrg on /v1.0/oauth2/accessToken)",
    );
  });

  it('APIs outside the metered paths go on answering', async () => {
    const s = await startSimAndClient({ faults: { monthlyQuota: { quota: 0, paths: [LISTSUB] } } });
    open.push(s);
    expect(await s.client.countUsers()).toBeGreaterThan(0);
  });
});
