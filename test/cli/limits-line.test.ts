import { describe, expect, it } from '@jest/globals';
import { limitsLine } from '../../src/cli/demo/first-sync.js';
import { translator } from '../../src/i18n/catalog.js';

const DEMO = { dingtalkQps: 200, pdsQps: 1000 };
const REAL = { dingtalkQps: 20, pdsQps: 100 };

/** Latin words left once the product name PDS and the option name are set aside. */
const englishWords = (line: string): string[] =>
  line
    .replace(/--real-limits/g, '')
    .replace(/\bPDS\b/g, '')
    .match(/[A-Za-z]+/g) ?? [];

describe("the demo's limits line", () => {
  it('is all Chinese in zh-CN, but for the product name PDS and the option --real-limits', () => {
    const t = translator('zh-CN');
    const demo = limitsLine(t, false, DEMO);
    const real = limitsLine(t, true, REAL);
    expect(demo).toBe(
      '  限流：演示值（钉钉每秒 200 次，PDS 每秒 1000 次）；加 --real-limits 改用真实值：钉钉每秒 20 次，PDS 每秒 100 次',
    );
    expect(real).toBe('  限流：真实值（钉钉每秒 20 次，PDS 每秒 100 次）');
    expect({ demo: englishWords(demo), real: englishWords(real) }).toEqual({ demo: [], real: [] });
  });

  it('names the limits used, in English too', () => {
    const t = translator('en');
    expect(limitsLine(t, false, DEMO)).toBe(
      "  limits: the demo's (DingTalk 200 QPS, PDS 1000 QPS); --real-limits uses DingTalk's 20 and PDS's 100",
    );
    expect(limitsLine(t, true, REAL)).toBe('  limits: the real ones (DingTalk 20 QPS, PDS 100 QPS)');
  });
});
