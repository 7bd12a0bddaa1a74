import { describe, expect, it } from '@jest/globals';
import { wellFormed } from '../helpers/utf16.js';
import { cleanName, cutUtf16, departmentName, NAME_MAX, personName } from '../../src/source/clean-name.js';

const HAN = '张'.repeat(127);
const GRIN = '😀';

describe('a name is cleaned once, the same way every run', () => {
  it.each([
    ['emoji at the 128 boundary is dropped whole, never split', `${HAN}${GRIN}`, HAN],
    ['emoji that fits at the boundary is kept', `${'张'.repeat(126)}${GRIN}`, `${'张'.repeat(126)}${GRIN}`],
    ['NUL is removed (DingTalk shows nothing there)', '张\u0000三', '张三'],
    ['other control characters are removed', '\u0007张\u001b三\u007f\u0090', '张三'],
    ['a newline becomes a space', '张三\n李四', '张三 李四'],
    ['a tab becomes a space', '张三\t李四', '张三 李四'],
    ['CR LF makes one space, not two', '张三\r\n李四', '张三 李四'],
    ['U+2028 and NEL become a space', 'a\u2028b\u0085c', 'a b c'],
    ['a right-to-left override is removed', '\u202Egnp.exe', 'gnp.exe'],
    [
      'bidi embeddings and isolates are removed',
      '\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069王五',
      '王五',
    ],
    ['direction marks are removed', '\u200E王\u200F五\u061C', '王五'],
    ['zero-width characters are removed', '\uFEFF张\u200B三\u200C\u2060', '张三'],
    ['a stray zero-width joiner is removed', '张\u200D三', '张三'],
    ['an emoji ZWJ sequence keeps its joiners', '小王👩🏽\u200D💻', '小王👩🏽\u200D💻'],
    ['a joiner left by the cut is removed with it', `${'张'.repeat(125)}👩\u200D💻`, `${'张'.repeat(125)}👩`],
    ['an unpaired surrogate is removed', 'a\uD83Db\uDE00c', 'abc'],
    ['the result is trimmed', '  \u3000张三\u00A0 ', '张三'],
    ['runs of spaces made by the cleaning collapse to one', '张 \u200B \n 三', '张 三'],
    ['mixed', '\u202E\u0000 陈\t\u200B七\n😀\u0000 ', '陈 七 😀'],
    ['a cut that ends on a space is trimmed', `${'张'.repeat(127)} 三`, '张'.repeat(127)],
    ['nothing visible leaves nothing', '\u200B\u200C\u200D\uFEFF\u202E \n\t\u0000', ''],
  ])('%s', (_rule, raw, clean) => {
    const got = cleanName(raw);
    expect(got).toBe(clean);
    expect(got.length).toBeLessThanOrEqual(NAME_MAX);
    expect(wellFormed(got)).toBe(true);
    // a second cleaning agrees, so a stored name compares equal to the next run's
    expect(cleanName(got)).toBe(got);
  });

  it('a person whose name is empty after cleaning is named by their userid', () => {
    expect(personName('\u200B\u200B', 'manager4513')).toBe('manager4513');
    expect(personName('', 'zhangsan')).toBe('zhangsan');
    expect(personName(' 张三 ', 'zhangsan')).toBe('张三');
  });

  it('a department whose name is empty after cleaning is named by its id, not "unnamed department"', () => {
    expect(departmentName('\u202E\u200B ', 42)).toBe('42');
    expect(departmentName('', 7)).toBe('7');
    expect(departmentName('研发部\n', 42)).toBe('研发部');
  });

  it('the cut never splits a surrogate pair, and leaves short strings alone', () => {
    expect(cutUtf16(`${HAN}${GRIN}`, 128)).toBe(HAN);
    expect(cutUtf16(`${HAN}${GRIN}`, 129)).toBe(`${HAN}${GRIN}`);
    expect(cutUtf16(`${GRIN}${GRIN}`, 3)).toBe(GRIN);
    expect(cutUtf16('abc', 128)).toBe('abc');
    for (let max = 1; max <= 12; max++) expect(wellFormed(cutUtf16(GRIN.repeat(6), max))).toBe(true);
  });
});
