import { describe, expect, it, jest } from '@jest/globals';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';
import { englishWords } from '../helpers/english-words.js';
import { PROFILE_STATES } from '../../src/status/profile-states.js';

/**
 * `dtsync --help` and every command's help come from the catalog in the CLI's language
 * (`--lang`, else DTSYNC_LANG, else zh-CN), commander's own frame included.
 */

/** What help may name in Chinese: the program, its commands and arguments, and config words. */
const IDENTIFIERS = new Set([
  'dtsync',
  ...['config', 'validate', 'simulate', 'start', 'scheduler', 'worker', 'web', 'sync', 'approve'],
  ...['reject', 'status', 'runs', 'list', 'show', 'check', 'person', 'departments', 'demo', 'help'],
  'query', // an argument's name: <query>
  'userid', // DingTalk's name of its user id
  'profile', // an argument's name: <profile>
  'locale', // the config's key
  'en', // a value of --lang
  ...PROFILE_STATES, // the values of status --status
  ...['changes', 'held', 'failures'], // the values of runs show --csv
  'Web', // the product word beside 控制台
]);

const HELPS = [
  [],
  ['config'],
  ['config', 'validate'],
  ['simulate'],
  ['start'],
  ['scheduler'],
  ['worker'],
  ['web'],
  ['sync'],
  ['approve'],
  ['reject'],
  ['status'],
  ['runs'],
  ['runs', 'list'],
  ['runs', 'show'],
  ['check'],
  ['person'],
  ['departments'],
  ['demo'],
];

/** Placeholders of flags and arguments (`<path>`, `[profile]`) are names the operator types over. */
const prose = (text: string) => text.replace(/<[\w-]+>|\[[\w-]+\]/g, '');

const help = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--help'], env);
const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

// each test awaits up to 20 `dtsync` processes one after another, and on a loaded machine a Node
// process takes seconds to start: the default 60 s was too short for the exits being awaited
jest.setTimeout(600_000);

describe('the CLI help speaks the CLI language', () => {
  it('dtsync --help and every command help in zh-CN (the default) have no English sentence', async () => {
    for (const args of HELPS) {
      const r = await help(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect({ args, english: englishWords(prose(r.stdout), IDENTIFIERS) }).toEqual({ args, english: [] });
      expect(r.stdout).toMatch(/^用法： dtsync/);
    }
    const sync = await help(['sync']);
    expect(sync.stdout).toContain('选项：');
    expect(sync.stdout).toContain('参数：');
    expect(sync.stdout).toMatch(/-h, --help +显示命令的帮助/);
    const top = await help([]);
    expect(top.stdout).toContain('命令：');
    expect(top.stdout).toMatch(/help \[command\] +显示命令的帮助/);
    // commander's "(default: …)" is worded too
    expect((await help(['runs', 'list'])).stdout).toMatch(/显示条数（默认：20）/);
  });

  it('dtsync --help and dtsync sync --help are English with --lang en or DTSYNC_LANG=en', async () => {
    for (const r of [
      await help([], { DTSYNC_LANG: 'en' }),
      await help(['--lang', 'en']),
      await help(['sync'], { DTSYNC_LANG: 'en' }),
      await runCli(['sync', '--help', '--lang', 'en']),
    ]) {
      expect(r.code).toBe(0);
      expect(hasChinese(r.stdout)).toBe(false);
      expect(r.stdout).toMatch(/^Usage: dtsync/);
      expect(r.stdout).toContain('Options:');
      expect(r.stdout).toMatch(/-h, --help +display help for command/);
    }
    expect((await help(['sync'], { DTSYNC_LANG: 'en' })).stdout).toContain(
      '--dry-run            plan only: read both sides, change nothing',
    );
    // --lang outranks DTSYNC_LANG
    expect(hasChinese((await help(['--lang', 'zh-CN'], { DTSYNC_LANG: 'en' })).stdout)).toBe(true);
  });

  it('dtsync --help, built from the command lines alone (no command module loaded), says what the loaded commands say', async () => {
    const saved = process.env.DTSYNC_LANG;
    try {
      for (const lang of ['zh-CN', 'en']) {
        process.env.DTSYNC_LANG = lang;
        const quick = await buildProgram(['node', 'dtsync', '--help']);
        const full = await buildProgram();
        expect(quick.helpInformation()).toBe(full.helpInformation());
      }
    } finally {
      if (saved === undefined) delete process.env.DTSYNC_LANG;
      else process.env.DTSYNC_LANG = saved;
    }
  });
});
