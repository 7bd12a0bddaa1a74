import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { CliError, ExitCode } from '../infra/exit-codes.js';
import { withConfigOption } from './context.js';
import { configCommand } from './commands/config.js';
import { simulateCommand } from './commands/simulate.js';
import { schedulerCommand } from './commands/scheduler.js';
import { workerCommand } from './commands/worker.js';
import { startCommand } from './commands/start.js';
import { webCommand } from './commands/web.js';
import { syncCommand } from './commands/sync.js';
import { approveCommand, rejectCommand } from './commands/approve.js';
import { statusCommand } from './commands/status.js';
import { runsCommand } from './commands/runs.js';
import { checkCommand } from './commands/check.js';
import { printNote } from './output.js';

export function buildProgram(): Command {
  const program = new Command('dtsync')
    .description('Keep an Alibaba Cloud PDS domain in step with a DingTalk organisation')
    .showHelpAfterError()
    .exitOverride();
  withConfigOption(program);
  program.addCommand(configCommand());
  program.addCommand(simulateCommand());
  program.addCommand(startCommand());
  program.addCommand(schedulerCommand());
  program.addCommand(workerCommand());
  program.addCommand(webCommand());
  program.addCommand(syncCommand());
  program.addCommand(approveCommand());
  program.addCommand(rejectCommand());
  program.addCommand(statusCommand());
  program.addCommand(runsCommand());
  program.addCommand(checkCommand());
  return program;
}

/** Maps any error of a command to one clear line and the exit-code table. */
export function exitCodeFor(err: unknown): { code: number; message?: string } {
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    ) {
      return { code: ExitCode.Ok };
    }
    return { code: ExitCode.Usage };
  }
  if (err instanceof ConfigError) return { code: ExitCode.Usage, message: err.message };
  if (err instanceof CliError) return { code: err.exitCode, message: `error: ${err.message}` };
  if (err instanceof Error) return { code: ExitCode.Failed, message: `error: ${err.message}` };
  return { code: ExitCode.Failed, message: `error: ${String(err)}` };
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  // every subcommand shares the exit override (commander copies it to commands made later)
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.commands.forEach(override);
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    const { code, message } = exitCodeFor(err);
    if (message !== undefined) printNote(message);
    return code;
  }
}
