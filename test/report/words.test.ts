import { describe, expect, it } from '@jest/globals';
import { CHECK_STATES, checkItemWords } from '../../src/check/items.js';
import type { HoldCode } from '../../src/gate/held-reason.js';
import { isMessageKey, translator } from '../../src/i18n/catalog.js';
import { printReport } from '../../src/cli/print-report.js';
import type { ProblemCode } from '../../src/errors/problem.js';
import type { ChangeAction, ChangeType, RunReport, WarningCode } from '../../src/report/types.js';
import { summaryOf } from '../../src/report/summary.js';
import { zeroCounts } from '../../src/report/types.js';
import { actionText, failureText, heldText, runErrorText, warningText } from '../../src/report/words.js';

const zh = translator('zh-CN');
const en = translator('en');

// Records, so the compiler fails this file when a code is added without being listed here
const HOLDS: Record<HoldCode, true> = {
  source_drop: true,
  foreign_org: true,
  scope_changed: true,
  disable_limit: true,
  quota: true,
  target_changed: true,
  populated_domain: true,
  disable_budget: true,
};
const WARNINGS: Record<WarningCode, true> = {
  mobile_not_authorised: true,
  email_not_authorised: true,
  hold_superseded: true,
  would_hold: true,
  more: true,
  stored_text: true,
  adminNotDisabled: true,
  departmentGone: true,
  departmentMoved: true,
  duplicateClaim: true,
  duplicateGroup: true,
  identity_reused: true,
  target_moved: true,
  walkMissed: true,
  absenceInGrace: true,
  leave_records_unreadable: true,
};
const PROBLEMS: Record<ProblemCode, true> = {
  'dingtalk.credentials': true,
  'dingtalk.permission': true,
  'dingtalk.scope': true,
  'dingtalk.parameter': true,
  'dingtalk.ip_whitelist': true,
  'dingtalk.not_found': true,
  'dingtalk.quota': true,
  'dingtalk.token': true,
  'dingtalk.throttled': true,
  'dingtalk.ip_banned': true,
  'dingtalk.busy': true,
  'dingtalk.server': true,
  'dingtalk.network': true,
  'dingtalk.malformed': true,
  'dingtalk.unknown': true,
  'pds.network': true,
  'pds.malformed': true,
  'pds.key': true,
  'pds.credentials': true,
  'pds.clock_skew': true,
  'pds.forbidden': true,
  'pds.throttled': true,
  'pds.server': true,
  'pds.quota': true,
  'pds.other': true,
  aborted: true,
  unknown_profile: true,
  sync_disabled: true,
  config_mismatch: true,
  approval_not_held: true,
  unexpected: true,
  interrupted: true,
};

// One of each member of the union, so the compiler fails this file when a member is added unlisted
const ACTIONS: Record<ChangeType, ChangeAction> = {
  create: { type: 'create' },
  update: { type: 'update' },
  adopt: { type: 'adopt', by: 'email' },
  restore: { type: 'restore' },
  disable: { type: 'disable', reason: 'left', leaveReason: 'oapi' },
  retire: { type: 'retire' },
  leaveGroups: { type: 'leaveGroups' },
  createGroup: { type: 'createGroup', deptId: 12, name: 'Sales' },
  renameGroup: { type: 'renameGroup', groupId: 'g7', name: 'Sales' },
};

describe('stored codes and the catalog', () => {
  it('every held reason, warning, problem and check item state has its words in the catalog', () => {
    const keys = [
      ...Object.keys(HOLDS).map((c) => `hold.${c}`),
      ...Object.keys(WARNINGS).map((c) => `warning.${c}`),
      ...Object.keys(PROBLEMS).map((c) => `problem.${c}`),
      ...Object.entries(CHECK_STATES).flatMap(([code, states]) => [
        `check.${code}`,
        ...states.map((s) => `check.${code}.${s}`),
      ]),
    ];
    expect(keys.filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it('every change action is worded from the catalog in both languages, naming the ids it carries', () => {
    for (const t of [zh, en]) {
      const words = Object.values(ACTIONS).map((a) => actionText(a, t));
      expect(words.filter((w) => /[{}]|^action\./.test(w))).toEqual([]);
    }
    expect(actionText(ACTIONS.createGroup, en)).toBe('create group (department 12 “Sales”)');
    expect(actionText(ACTIONS.renameGroup, zh)).toBe('重命名部门组（部门组 g7 → “Sales”）');
    expect(actionText(ACTIONS.adopt, zh)).toBe('关联已有用户（邮箱）');
    expect(actionText({ type: 'adopt', by: 'unknown' }, en)).toBe('adopt');
  });

  it('an ambiguous adoption names its candidates from params, not from the English reason', () => {
    const f = { kind: 'ambiguous_adoption', params: { candidates: 'h2, h3' } } as const;
    expect(failureText(f, en)).toBe(
      'more than one existing user matches: not adopted (candidates: h2, h3); link the right one by hand',
    );
    expect(failureText(f, zh)).toContain('（候选用户：h2, h3）');
  });

  it('a coded held reason, warning, failure and run error read in the reader’s language', () => {
    const reason = {
      code: 'source_drop',
      params: {
        what: 'departments',
        percent: '30.0',
        before: 10,
        now: 7,
        max: 20,
        against: 'lastComplete',
        at: 'x',
      },
    } as const;
    expect(heldText(reason, zh)).toMatch(/^钉钉部门数减少了 30\.0%（10 → 7），对比上次完整读取（x）/);
    expect(heldText(reason, translator('en'))).toMatch(/^source departments dropped 30\.0% \(10 → 7\)/);
    expect(warningText({ code: 'would_hold', params: { hold: 'scope_changed', disables: 3 } }, zh)).toMatch(
      /^正式同步会被暂停：同步范围自上次完整同步后发生了变化.*禁用 3 名/,
    );
    expect(failureText({ kind: 'phone_taken', params: { owner: 'u9' } }, zh)).toBe(
      '手机号已被其他用户绑定（已绑定到 u9）',
    );
    expect(
      runErrorText(
        {
          message: 'English',
          problem: { code: 'dingtalk.network', params: { path: '/gettoken', code: 'ECONNREFUSED' } },
        },
        zh,
      ),
    ).toBe('无法连接钉钉（/gettoken，ECONNREFUSED）');
  });

  it('text an older version stored reads as it was: migrated to stored_text, or a failure’s detail', () => {
    const text = (t: string) => ({ code: 'stored_text', params: { text: t } }) as const;
    expect(heldText(text('plan disables 6 of 10'), zh)).toBe('plan disables 6 of 10');
    expect(warningText(text('an old warning'), zh)).toBe('an old warning');
    // a failure stored before params: the kind worded, the old English detail beside it
    expect(failureText({ kind: 'user_id_taken', params: { detail: 'user id x taken' } }, zh)).toBe(
      '用户 ID 已被非同步创建的用户占用（user id x taken）',
    );
    expect(runErrorText({ message: 'old message' }, zh)).toBe('old message');
    expect(checkItemWords({ what: 'PDS credentials', detail: 'accepted' }, zh)).toEqual({
      title: 'PDS credentials',
      detail: 'accepted',
    });
    const old = {
      runId: '9',
      profileId: 'acme',
      trigger: 'manual',
      dryRun: false,
      deep: false,
      status: 'held',
      startedAt: '2026-12-04T19:07:00.000Z',
      finishedAt: '2026-12-04T19:07:05.000Z',
      source: { users: 1, departments: 1 },
      counts: zeroCounts(),
      warnings: [text('an old warning')],
      failures: [],
      changes: [],
      changesTruncated: false,
      heldReason: text('an old reason'),
      apiCalls: { dingtalk: {}, pds: {} },
    } satisfies RunReport;
    const lines: string[] = [];
    const summary = summaryOf(old);
    const details = { held: [], failures: [], reentries: [], warnings: summary.warnings };
    printReport(summary, details, (l) => lines.push(l), {
      t: zh,
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
    });
    expect(lines).toContain('  暂停原因：an old reason');
    expect(lines).toContain('  提示：an old warning');
  });
});
