import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { ROOT } from '../helpers/cli.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const READMES = ['README.md', 'README.zh-CN.md'] as const;
const QUICK_START = { 'README.md': '## Quick start', 'README.zh-CN.md': '## 快速开始' } as const;

/** The text of a `## ` section, up to the next one. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const end = text.indexOf('\n## ', start + heading.length + 2);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The lines of the first ```sh block of a text. */
function firstShellBlock(text: string): string[] {
  const m = /```sh\n([\s\S]*?)```/.exec(text);
  return (m?.[1] ?? '').split('\n').filter((l) => l.trim() !== '');
}

/** Every `dtsync …` command line: inline code spans and code-block lines, comments cut off. */
function dtsyncCalls(text: string): string[][] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n'));
  const spans = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  return [...blocks, ...spans]
    .map((l) =>
      (l.split(' #')[0] ?? '')
        .trim()
        .replace(/^npm ci && /, '')
        .replace(/^npx /, ''),
    )
    .filter((l) => l.startsWith('dtsync '))
    .map((l) => l.split(/\s+/));
}

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('README.md and README.zh-CN.md', () => {
  it('both exist and link each other from their top lines', () => {
    const top = (file: string) => read(file).split('\n').slice(0, 5).join('\n');
    expect(top('README.md')).toContain('](README.zh-CN.md)');
    expect(top('README.zh-CN.md')).toContain('](README.md)');
  });

  it('README.md is a guide of at most 260 lines, its sections in the agreed order', () => {
    const text = read('README.md');
    expect(text.split('\n').length).toBeLessThanOrEqual(260);
    expect(text.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## Quick start',
      '## Connect your real DingTalk and PDS',
      '## Troubleshooting `dtsync check`',
      '## Operations',
      '## The rules and the safety gates',
      '## Exit codes',
      '## More',
    ]);
  });

  it('each Quick start is exactly the two command lines .ci/run runs: the tests, and the demo (with --once)', () => {
    const ci = read('.ci/run')
      .split('\n')
      .map((l) => l.trim());
    for (const file of READMES) {
      const lines = firstShellBlock(section(read(file), QUICK_START[file]));
      expect({ file, lines }).toEqual({ file, lines: ['npm ci && npx dtsync demo', 'npm ci && npm test'] });
    }
    expect(ci).toContain('npm ci && npm test');
    expect(ci).toContain('npx dtsync demo --once');
  });

  it('names only dtsync commands, subcommands and options that the CLI has', async () => {
    const program = await buildProgram();
    const global = program.options.map((o) => o.long);
    const find = (cmds: readonly Command[], name: string) => cmds.find((c) => c.name() === name);
    const unknown: string[] = [];
    for (const file of READMES) {
      const calls = dtsyncCalls(read(file));
      expect(calls.length).toBeGreaterThan(10);
      for (const [, word = '', next = '', ...rest] of calls) {
        const command = find(program.commands, word);
        const sub =
          command !== undefined && command.commands.length > 0 ? find(command.commands, next) : command;
        if (sub === undefined) {
          unknown.push(`${file}: dtsync ${word} ${next}`);
          continue;
        }
        const known = [...global, ...sub.options.map((o) => o.long)];
        for (const flag of [next, ...rest].filter((t) => t.startsWith('--')))
          if (!known.includes(flag)) unknown.push(`${file}: dtsync ${word} … ${flag}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('points only at docs/ files that exist, and at headings those files have', () => {
    const missing: string[] = [];
    for (const file of [...READMES, 'docs/performance.md']) {
      const text = read(file);
      for (const [, path = ''] of text.matchAll(/\b(docs\/[\w./-]+\.(?:md|png))/g))
        if (!existsSync(join(ROOT, path))) missing.push(`${file}: ${path}`);
      for (const [, path = '', anchor = ''] of text.matchAll(/\]\(((?:docs\/[\w./-]+\.md)?)#([^)]+)\)/g)) {
        const target = path === '' ? text : read(path);
        const anchors = target
          .split('\n')
          .filter((l) => /^#{1,6} /.test(l))
          .map((l) => slug(l.replace(/^#+ /, '')));
        if (!anchors.includes(anchor)) missing.push(`${file}: ${path}#${anchor}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
