import { Command } from 'commander';
import { profileFingerprint } from '../../config/fingerprint.js';
import { CliError, ExitCode } from '../../infra/exit-codes.js';
import { approveHeld, rejectHeld, type HeldDecision } from '../../queue/decide-held.js';
import { cliActor } from '../actor.js';
import { withConfigOption } from '../context.js';
import { exitCodeForStatus } from '../exit-for-report.js';
import { followRun, waitOptions } from '../follow.js';
import { withOperator } from '../operator.js';
import { printReport } from '../print-report.js';
import { printLine, printNote } from '../output.js';

/** Maps a decision that was not made to the exit-code table. */
function refused(d: HeldDecision, runId: string): never {
  if (d.kind === 'unknown_run') throw new CliError(`unknown run ${runId}`, ExitCode.NotFound);
  const why = d.kind === 'not_held' ? d.why : d.kind;
  throw new CliError(`run ${runId} is not awaiting approval (${why})`, ExitCode.Failed);
}

/** `dtsync approve <runId>`: starts a run that re-reads both sides and applies if nothing new is risky. */
export function approveCommand(): Command {
  return withConfigOption(new Command('approve'))
    .description(
      'approve a held run: a new run re-reads both sides and applies the fresh plan if its risky changes were approved',
    )
    .argument('<runId>', 'the held run')
    .option('--wait', 'follow the approval run and exit with its outcome')
    .action(async (runId: string, flags: { wait?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const decision = await approveHeld(op.queue, op.history, runId, cliActor(), (id) => {
          const profile = op.loaded.config.profiles.find((p) => p.id === id);
          return profile === undefined ? undefined : profileFingerprint(profile);
        });
        if (decision.kind !== 'approved') refused(decision, runId);
        printLine(decision.approvalRunId);
        if (flags.wait !== true) return;
        const report = await followRun(op, decision.approvalRunId, printNote, waitOptions(op.loaded.config));
        printReport(report, printLine);
        process.exitCode = exitCodeForStatus(report.status);
      });
    });
}

/** `dtsync reject <runId>`: closes a held run; nothing of it is applied. */
export function rejectCommand(): Command {
  return withConfigOption(new Command('reject'))
    .description('reject a held run: its held changes are never applied')
    .argument('<runId>', 'the held run')
    .action(async (runId: string, _flags: object, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const decision = await rejectHeld(op.history, runId, cliActor());
        if (decision.kind !== 'rejected') refused(decision, runId);
        printLine(`run ${runId} rejected`);
      });
    });
}
