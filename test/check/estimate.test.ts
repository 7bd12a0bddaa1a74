import { describe, expect, it } from '@jest/globals';
import { estimateOf } from '../../src/check/run-check.js';
import { buildProfile } from '../helpers/profile.js';

describe('dtsync check: the estimate of a full first sync', () => {
  it('counts the rate the pacer books, not the configured limit (18 a second at DingTalk’s 20)', () => {
    const profile = buildProfile({ dingtalk: { qps: 20 }, pds: { qps: 100 }, sync: { syncPhone: false } });
    const e = estimateOf(
      profile,
      { '/topapi/v2/department/listsub': 500, '/topapi/v2/user/list': 1800 },
      { departments: 500, users: 10_000 },
    );
    expect(e.dingtalkSeconds).toBe(100); // 1,800 user/list calls at 18 a second, not 90 s at 20
    // 2 writes per user + 1 per department, plus the PDS reads: 21,100 calls at 94 a second
    expect(e.pdsWritesFirstSync).toBe(20_500);
    expect(e.pdsSeconds).toBe(Math.round(21_100 / 94));
    expect(e.minutes).toBe(Math.ceil((100 + 21_100 / 94) / 60));
  });
});
