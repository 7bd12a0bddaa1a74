import { describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { englishWords } from '../helpers/english-words.js';

/**
 * commander's own usage errors (unknown option or command, a missing or bad value, too many
 * arguments) and the option parsers' refusals read in the CLI's language, in the `cli.error`
 * format, exit 2 (usage) as before, and carry a stable code with `--json`.
 */

/** The CLI's language without DTSYNC_LANG from the test run's environment: zh-CN. */
const zh = (...args: string[]) => runCli(args, {});
const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);
/** Placeholders of flags and arguments (`<n>`, `[command]`) are names the operator types over. */
const prose = (text: string) => text.replace(/<[\w-]+>|\[[\w-]+\]/g, '');
/** What the help after an unknown command may name in Chinese (as in help.test.ts). */
const HELP_WORDS = [
  ...['dtsync', 'locale', 'en', 'Web', 'config', 'simulate', 'start', 'scheduler', 'worker', 'web'],
  ...['sync', 'approve', 'reject', 'status', 'runs', 'check', 'person', 'departments', 'demo', 'help'],
  'query', // an argument's name: <query>
];
/** The first line of stderr: the error itself (an unknown command's help follows it). */
const firstLine = (stderr: string) => stderr.split('\n')[0] ?? '';

describe('the usage errors speak the CLI language', () => {
  it.each([
    [['sync', '--nope'], '错误：未知的选项 "--nope"', new Set(['nope'])],
    [['nosuchcommand'], '错误：未知的命令 "nosuchcommand"', new Set(['nosuchcommand'])],
    [
      ['demo', '--users', 'abc'],
      '错误：选项 "--users <n>" 的值 "abc" 无效：须为 1 到 100000 之间的整数',
      new Set(['abc']),
    ],
    [['sync'], '错误：缺少必需的参数 <profile>', new Set<string>()],
    [['sync', 'a', 'b'], '错误：命令 sync 的参数过多：应为 1 个，实际为 2 个', new Set<string>()],
    [['sync', 'acme', '--config'], '错误：选项 "-c, --config <path>" 缺少值', new Set<string>()],
    [['simulate', '--qps', '0'], '错误：选项 "--qps <n>" 的值 "0" 无效：须为大于 0 的数', new Set<string>()],
    [
      ['demo', '--host', 'x'],
      '错误：选项 "--host <addr>" 的值 "x" 无效：须为 IP 地址，例如 127.0.0.1 或 0.0.0.0',
      new Set(['x']),
    ],
  ])('dtsync %j in zh-CN says it in Chinese and exits 2', async (args, line, typed) => {
    const r = await zh(...args);
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toBe(line);
    expect(englishWords(prose(r.stderr), new Set([...typed, ...HELP_WORDS]))).toEqual([]);
  });

  it('an unknown command is followed by the help that lists the known ones, in the CLI language', async () => {
    const top = await zh('nosuchcommand');
    expect(top.stderr).toMatch(/^错误：未知的命令 "nosuchcommand"\n\n用法： dtsync/);
    expect(top.stderr).toContain('命令：');
    const runs = await zh('runs', 'nosuch');
    expect(runs.code).toBe(2);
    expect(runs.stderr).toMatch(/^错误：未知的命令 "nosuch"\n\n用法： dtsync runs/);
  });

  it("commander's suggestion after a mistyped option is worded too", async () => {
    const r = await zh('sync', 'acme', '--dry-rn');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('错误：未知的选项 "--dry-rn"\n（是否想输入 --dry-run？）\n');
  });

  it('with --lang en or DTSYNC_LANG=en the usage errors read English, exit 2', async () => {
    for (const [r, line] of [
      [await runCli(['sync', '--nope', '--lang', 'en']), "error: unknown option '--nope'"],
      [await runCli(['nosuchcommand'], { DTSYNC_LANG: 'en' }), "error: unknown command 'nosuchcommand'"],
      [
        await runCli(['--lang', 'en', 'demo', '--users', 'abc']),
        "error: option '--users <n>' argument 'abc' is invalid: must be an integer from 1 to 100000",
      ],
    ] as const) {
      expect(r.code).toBe(2);
      expect(firstLine(r.stderr)).toBe(line);
      expect(hasChinese(r.stderr)).toBe(false);
    }
  });

  it('with --json the error carries a stable code, the words and exit code 2', async () => {
    const cases = [
      [['sync', '--nope', '--json'], 'usage.unknown_option', '未知的选项 "--nope"'],
      [['nosuchcommand', '--json'], 'usage.unknown_command', '未知的命令 "nosuchcommand"'],
      [
        ['demo', '--json', '--users', 'abc'],
        'usage.invalid_argument',
        '选项 "--users <n>" 的值 "abc" 无效：须为 1 到 100000 之间的整数',
      ],
      [['sync', '--json'], 'usage.missing_argument', '缺少必需的参数 <profile>'],
      [
        ['sync', 'a', 'b', '--json'],
        'usage.excess_arguments',
        '命令 sync 的参数过多：应为 1 个，实际为 2 个',
      ],
      [
        ['sync', 'acme', '--json', '--config'],
        'usage.option_missing_argument',
        '选项 "-c, --config <path>" 缺少值',
      ],
    ] as const;
    for (const [args, code, message] of cases) {
      const r = await zh(...args);
      expect({ args, code: r.code, out: JSON.parse(r.stdout) as unknown }).toEqual({
        args,
        code: 2,
        out: { error: { code, message, exitCode: 2 } },
      });
    }
  });
});
