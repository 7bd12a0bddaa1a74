import { describe, expect, it } from '@jest/globals';
import { en } from '../../src/i18n/en.js';
import { translator } from '../../src/i18n/catalog.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

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

  it('fills placeholders, in either locale', () => {
    expect(translator('zh-CN')('msg.started', { runId: '42' })).toBe('已开始同步：42');
    expect(translator('en')('msg.started', { runId: '42' })).toBe('Run started: 42');
  });
});
