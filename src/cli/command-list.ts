import { Command } from 'commander';
import type { MessageKey, Translate } from '../i18n/catalog.js';
import { withConfigOption } from './config-option.js';

/** One line of `dtsync --help`'s command list: what it needs of a command, not its module. */
interface CommandLine {
  readonly name: string;
  readonly help: MessageKey;
  /** Its arguments as commander writes them (`<profile>`, `[profile]`). */
  readonly args?: readonly string[];
  /** Whether it takes options (`[options]` in the list): every leaf command takes `--config`. */
  readonly options: boolean;
}

/**
 * Every command's line in `dtsync --help`, in its order. `dtsync --help` (and `--version`, and an
 * unknown command's list) is built from these alone, so it loads no command module: their
 * imports (zod, BullMQ, got, fastify) cost most of a CLI start. A test checks these lines against
 * the commands' own (test/cli/help.test.ts).
 */
export const COMMAND_LINES: readonly CommandLine[] = [
  { name: 'config', help: 'help.config', options: false },
  { name: 'simulate', help: 'help.simulate', options: true },
  { name: 'start', help: 'help.start', options: true },
  { name: 'scheduler', help: 'help.scheduler', options: true },
  { name: 'worker', help: 'help.worker', options: true },
  { name: 'web', help: 'help.web', options: true },
  { name: 'sync', help: 'help.sync', args: ['<profile>'], options: true },
  { name: 'approve', help: 'help.approve', args: ['<runId>'], options: true },
  { name: 'reject', help: 'help.reject', args: ['<runId>'], options: true },
  { name: 'status', help: 'help.status', args: ['[profile]'], options: true },
  { name: 'runs', help: 'help.runs', options: false },
  { name: 'check', help: 'help.check', args: ['<profile>'], options: true },
  { name: 'person', help: 'help.person', args: ['<profile>', '<query>'], options: true },
  { name: 'departments', help: 'help.departments', args: ['<profile>'], options: true },
  { name: 'demo', help: 'help.demo', options: true },
];

/** A command that only shows its line in the list; running it is never asked of it. */
export function commandLine(line: CommandLine, t: Translate): Command {
  const cmd = new Command(line.name).description(t(line.help));
  for (const a of line.args ?? []) cmd.argument(a);
  return line.options ? withConfigOption(cmd, t) : cmd;
}
