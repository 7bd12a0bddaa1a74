import { describe, expect, it } from '@jest/globals';
import { AREAS, isMessageKey, translator } from '../../src/i18n/catalog.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
const areas = Object.entries(AREAS) as [
  string,
  { 'zh-CN': Record<string, string>; en: Record<string, string> },
][];

describe('the message catalog', () => {
  it("zh-CN uses the PDS console's own words", () => {
    const words = Object.values(zhCN) as string[];
    for (const w of [
      '同步配置',
      '配置检测',
      '立即同步',
      '上次同步时间',
      '上次同步状态',
      '详情',
      '导入结果',
      '失败原因',
    ])
      expect(words).toContain(w);
  });

  it('en has every key of zh-CN and no other, each translated', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [k, v] of Object.entries(en)) expect([k, v]).not.toEqual([k, '']);
  });

  it.each(areas)(
    'every key of the %s area is in both languages, translated, with the same placeholders',
    (_area, l) => {
      expect(Object.keys(l.en).sort()).toEqual(Object.keys(l['zh-CN']).sort());
      for (const [key, zh] of Object.entries(l['zh-CN'])) {
        const english = l.en[key] ?? '';
        expect([key, english]).not.toEqual([key, '']);
        expect([key, placeholders(english)]).toEqual([key, placeholders(zh)]);
      }
    },
  );

  it('no key is defined by two areas (one would silently hide the other)', () => {
    const seen = new Map<string, string>();
    for (const [area, l] of areas)
      for (const key of Object.keys(l['zh-CN'])) {
        expect([key, seen.get(key)]).toEqual([key, undefined]);
        seen.set(key, area);
      }
    expect(isMessageKey('check.dingtalk_scope.all')).toBe(true);
    expect(isMessageKey('no.such.key')).toBe(false);
  });

  it('fills placeholders, in either locale', () => {
    expect(translator('zh-CN')('msg.started', { runId: '42' })).toBe('已开始同步：42');
    expect(translator('en')('msg.started', { runId: '42' })).toBe('Run started: 42');
  });
});
