import type { Coded } from '../i18n/coded.js';
import { organisations } from './organisation.js';

/** The settings every profile of one DingTalk organisation shares: its quota is one. */
const ORG_WIDE = ['monthlyQuota', 'meteredApis'] as const;

interface RawDingTalk {
  readonly appKey?: unknown;
  readonly corpId?: unknown;
  readonly monthlyQuota?: unknown;
  readonly meteredApis?: unknown;
}

/** A setting as compared: unset, or its value (a list of APIs in any order). */
function valueOf(d: RawDingTalk, key: (typeof ORG_WIDE)[number]): string {
  const v = d[key];
  if (v === undefined) return '-';
  return Array.isArray(v) ? JSON.stringify((v as unknown[]).map(String).sort()) : JSON.stringify(v);
}

/**
 * Profiles of one organisation (config/organisation.ts) that set its monthly quota or its metered
 * APIs differently: each one that differs from the organisation's first profile is named, with
 * every profile and its value, so the operator sees which to align.
 */
export function orgAgreementProblems(profiles: readonly unknown[]): Map<string, Coded> {
  const problems = new Map<string, Coded>();
  const members = profiles.flatMap((p, index) => {
    const rec = (p ?? {}) as { id?: unknown; dingtalk?: RawDingTalk };
    const d = rec.dingtalk ?? {};
    if (typeof d.appKey !== 'string') return [];
    const corpId = typeof d.corpId === 'string' ? d.corpId : undefined;
    const id = typeof rec.id === 'string' ? rec.id : `profiles[${index}]`;
    return [{ id, index, raw: d, dingtalk: { appKey: d.appKey, corpId } }];
  });
  for (const [org, group] of organisations(members)) {
    const [first, ...rest] = group;
    if (first === undefined) continue;
    for (const key of ORG_WIDE) {
      const differing = rest.filter((m) => valueOf(m.raw, key) !== valueOf(first.raw, key));
      if (differing.length === 0) continue;
      const all = group.map((m) => `${m.id} (${valueOf(m.raw, key)})`).join(', ');
      for (const m of differing)
        problems.set(`profiles[${m.index}].dingtalk.${key}`, {
          code: 'org_setting_differs',
          params: { key: `dingtalk.${key}`, org, profiles: all },
        });
    }
  }
  return problems;
}
