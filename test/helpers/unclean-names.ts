import type { SimOrgData } from '../../sim/dingtalk/org-types.js';
import { buildOrg } from './org-factory.js';

const HAN127 = '张'.repeat(127);

/**
 * Names DingTalk can hand out, by department id or userid of `buildOrg()`, each with the name
 * PDS should hold: an emoji at the 128 boundary, NUL, newline, tab, a right-to-left override,
 * zero-width characters only (the id stands in), an unpaired surrogate, and a mix.
 */
export const UNCLEAN_DEPARTMENTS: Readonly<Record<number, readonly [raw: string, clean: string]>> = {
  1: ['公司\u0000\r\n', '公司'],
  10: ['研发部\u202E', '研发部'],
  11: ['\u200B\u200C\uFEFF', '11'],
  12: [`${HAN127}😀`, HAN127],
  13: ['后端\t组\n', '后端 组'],
};

export const UNCLEAN_USERS: Readonly<Record<string, readonly [raw: string, clean: string]>> = {
  'u10-0': [`${HAN127}😀`, HAN127],
  'u10-1': ['李\u0000四', '李四'],
  'u11-0': ['王\n五', '王 五'],
  'u11-1': ['\u202Egnp.exe', 'gnp.exe'],
  'u11-2': ['\u200B\u200D\u2060', 'u11-2'],
  'u12-0': [' 赵 \t 六 ', '赵 六'],
  'u13-0': ['陈\uD83D七', '陈七'],
  'u13-1': ['\u202E\u0000 孙\t\u200B八\n😀 ', '孙 八 😀'],
};

/** `buildOrg()` with the names above, and a phone of each one's own (the factory's repeat). */
export function uncleanOrg(): SimOrgData {
  const org = buildOrg();
  return {
    departments: org.departments.map((d) => ({ ...d, name: UNCLEAN_DEPARTMENTS[d.dept_id]?.[0] ?? d.name })),
    users: org.users.map((u, i) => ({
      ...u,
      name: UNCLEAN_USERS[u.userid]?.[0] ?? u.name,
      mobile: `139${String(i).padStart(8, '0')}`,
    })),
  };
}
