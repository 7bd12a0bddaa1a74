import { Command } from 'commander';
import { CliError, ExitCode } from '../../infra/exit-codes.js';
import { profileFingerprint } from '../../config/fingerprint.js';
import { enqueueApproval } from '../../queue/enqueue.js';
import type { RunReport } from '../../report/types.js';
import { withConfigOption } from '../context.js';
import { exitCodeForStatus } from '../exit-for-report.js';
import { followRun, waitOptions } from '../follow.js';
import { withOperator, type Operator } from '../operator.js';
import { printReport } from '../print-report.js';
import { printLine, printNote } from '../output.js';

async function heldRun(op: Operator, runId: string): Promise<RunReport> {
  const report = await op.history.get(runId);
  if (report === undefined) throw new CliError(`unknown run ${runId}`, ExitCode.NotFound);
  const current = await op.history.heldRunId(report.profileId);
  if (report.status !== 'held' || report.held?.resolution !== undefined || current !== runId) {
    const why =
      report.held?.resolution !== undefined
        ? `already ${report.held.resolution.action}`
        : `status ${report.status}`;
    throw new CliError(`run ${runId} is not awaiting approval (${why})`, ExitCode.Failed);
  }
  return report;
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
        const held = await heldRun(op, runId);
        const profile = op.loaded.config.profiles.find((p) => p.id === held.profileId);
        const run = await enqueueApproval(
          op.queue,
          held.profileId,
          runId,
          profile === undefined ? undefined : profileFingerprint(profile),
        );
        await op.history.setStatus(runId, 'held', {
          held: {
            ...(held.held ?? { changes: [], notApproved: [], wholeRun: true, by: 'breaker' }),
            resolution: { action: 'approved', at: new Date().toISOString(), approvalRunId: run.runId },
          },
        });
        await op.history.clearHeld(held.profileId, runId);
        printLine(run.runId);
        if (flags.wait !== true) return;
        const report = await followRun(op, run.runId, printNote, waitOptions(op.loaded.config));
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
        const held = await heldRun(op, runId);
        await op.history.setStatus(runId, 'rejected', {
          held: {
            ...(held.held ?? { changes: [], notApproved: [], wholeRun: true, by: 'breaker' }),
            resolution: { action: 'rejected', at: new Date().toISOString() },
          },
        });
        await op.history.clearHeld(held.profileId, runId);
        printLine(`run ${runId} rejected`);
      });
    });
}
