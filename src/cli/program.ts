import { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors/config-error.js';
import { configProblemLine, configProblemText, type ConfigProblem } from '../config/problems.js';
import { translator, type Translate } from '../i18n/catalog.js';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-code.js';
import { COMMAND_LINES, commandLine } from './command-list.js';
import { withConfigOption } from './config-option.js';
import { localiseHelp } from './help-words.js';
import { errorLocale } from './lang.js';
import { printJson, printNote } from './output.js';
import { usageError } from './usage-error.js';
import { packageVersion } from './version.js';

/**
 * Each command's module, loaded only when that command runs: a CLI call then pays for the
 * libraries it uses (config validate needs no BullMQ, got or pino), not for all of them.
 */
const COMMANDS: Record<string, (t: Translate) => Promise<Command[]>> = {
  config: async (t) => [(await import('./commands/config.js')).configCommand(t)],
  simulate: async (t) => [(await import('./commands/simulate.js')).simulateCommand(t)],
  start: async (t) => [(await import('./commands/start.js')).startCommand(t)],
  scheduler: async (t) => [(await import('./commands/scheduler.js')).schedulerCommand(t)],
  worker: async (t) => [(await import('./commands/worker.js')).workerCommand(t)],
  web: async (t) => [(await import('./commands/web.js')).webCommand(t)],
  sync: async (t) => [(await import('./commands/sync.js')).syncCommand(t)],
  approve: async (t) => [(await import('./commands/approve.js')).approveCommand(t)],
  reject: async (t) => [(await import('./commands/approve.js')).rejectCommand(t)],
  status: async (t) => [(await import('./commands/status.js')).statusCommand(t)],
  runs: async (t) => [(await import('./commands/runs.js')).runsCommand(t)],
  check: async (t) => [(await import('./commands/check.js')).checkCommand(t)],
  person: async (t) => [(await import('./commands/people.js')).personCommand(t)],
  departments: async (t) => [(await import('./commands/people.js')).departmentsCommand(t)],
  demo: async (t) => [(await import('./commands/demo.js')).demoCommand(t)],
};

/** The words of argv that are not options (skipping the values of the global options). */
function words(argv: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--config' || a === '-c' || a === '--lang') i++;
    else if (!a.startsWith('-')) found.push(a);
  }
  return found;
}

/** The command word of argv, if any. */
function commandWord(argv: readonly string[]): string | undefined {
  return words(argv)[0];
}

/** The command whose module argv needs: the one it names, or the one `help <command>` names. */
function commandToLoad(argv: readonly string[]): string | undefined {
  const [first, second] = words(argv);
  return first === 'help' ? second : first;
}

/**
 * The program with the commands `argv` needs: the one it names, with its module loaded; else
 * (`dtsync --help`, `--version`, an unknown command) every command's line alone, without
 * loading any command module. Without argv, every command, loaded.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  // the help's language: --lang, else DTSYNC_LANG, else zh-CN. The config's locale is not read:
  // loading a config just to word the help would slow every call and fail on a broken file
  const t = translator(errorLocale(argv ?? [], undefined));
  const program = new Command('dtsync').description(t('help.dtsync')).exitOverride();
  program.version(packageVersion(), '-V, --version', t('help.opt.version'));
  withConfigOption(program, t);
  program.option('--lang <locale>', t('help.opt.lang'));
  const word = argv === undefined ? undefined : commandToLoad(argv);
  const load = word === undefined ? undefined : COMMANDS[word];
  if (argv !== undefined && load === undefined) {
    for (const line of COMMAND_LINES) program.addCommand(commandLine(line, t));
  } else {
    const loaders = load !== undefined ? [load] : Object.values(COMMANDS);
    // one after the other: the order of the help text, and Jest's ESM loader dislikes parallel imports
    for (const l of loaders) for (const c of await l(t)) program.addCommand(c);
  }
  localiseHelp(program, t);
  return program;
}

/** How a command's error ends it: the exit code, a stable code, and its words. */
export interface ErrorAnswer {
  readonly exitCode: number;
  readonly code: string;
  /** The error in the operator's words, for `--json`. */
  readonly message?: string;
  /** What the operator reads on stderr. */
  readonly lines?: string;
  /** A config's problems, each with its path and code (`--json`). */
  readonly problems?: readonly (ConfigProblem & { readonly message: string })[];
}

/** Maps any error of a command to one clear line (or a config's problem list) and the exit-code table. */
export function errorAnswer(err: unknown, argv: readonly string[]): ErrorAnswer {
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    ) {
      return { exitCode: ExitCode.Ok, code: 'ok' };
    }
    const t = translator(errorLocale(argv, undefined));
    const { code, message } = usageError(err, t);
    return { exitCode: ExitCode.Usage, code, message, lines: t('cli.error', { message }) };
  }
  if (err instanceof ConfigError) {
    const t = translator(errorLocale(argv, err.locale));
    const lines = err.issues.map((p) => `  ${configProblemLine(p, t)}`);
    return {
      exitCode: ExitCode.Usage,
      code: 'config_invalid',
      message: t('cli.config.invalid', { file: err.file }),
      lines: [t('cli.config.invalid', { file: err.file }), ...lines].join('\n'),
      problems: err.issues.map((p) => ({ ...p, message: configProblemText(p, t) })),
    };
  }
  // a CliError is worded in the operator's language already: its prefix follows it
  const t = translator(
    err instanceof CliError && err.locale !== undefined ? err.locale : errorLocale(argv, undefined),
  );
  const message = err instanceof Error ? err.message : String(err);
  const lines = t('cli.error', { message });
  if (err instanceof CliError) return { exitCode: err.exitCode, code: err.code, message, lines };
  return { exitCode: ExitCode.Failed, code: 'error', message, lines };
}

/** `--json` asked, or `config validate` (whose answer is JSON): errors are JSON on stdout too. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json') || (commandWord(argv) === 'config' && argv.includes('validate'));
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
  // commander's usage errors end up in the catch below, worded from the catalog there; its own
  // English line is kept quiet, noting which command it came from (an unknown command's help)
  let failed = program;
  const override = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ outputError: () => (failed = c) });
    c.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    const answer = errorAnswer(err, argv);
    if (answer.lines !== undefined) printNote(answer.lines);
    // the commands that are there, after the one that is not
    if (answer.code === 'usage.unknown_command')
      printNote(`\n${failed.helpInformation({ error: true }).trimEnd()}`);
    if (answer.exitCode !== ExitCode.Ok && wantsJson(argv)) {
      const { exitCode, lines: _human, ...error } = answer;
      printJson({ error: { ...error, exitCode } });
    }
    return answer.exitCode;
  }
}
