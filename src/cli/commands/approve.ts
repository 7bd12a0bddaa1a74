import type { Translate } from '../../i18n/catalog.js';
import { Command } from 'commander';
import { profileFingerprint } from '../../config/fingerprint.js';
import { ExitCode } from '../../errors/exit-code.js';
import { approveHeld, rejectHeld, type HeldDecision } from '../../queue/decide-held.js';
import { cliActor } from '../actor.js';
import { withConfigOption } from '../context.js';
import { exitCodeForReport } from '../exit-for-report.js';
import { followRun, waitOptions } from '../follow.js';
import { reportStyle, withOperator } from '../operator.js';
import { cliError, type CliLang } from '../lang.js';
import { printRun, statusText } from '../print-report.js';
import { reportJson } from '../report-json.js';
import { printJson, printLine, printNote } from '../output.js';

/** Maps a decision that was not made to the exit-code table. */
function refused(d: HeldDecision, runId: string, lang: CliLang): never {
  if (d.kind === 'unknown_run')
    throw cliError(lang, ExitCode.NotFound, 'unknown_run', 'cli.unknownRun', { runId });
  // the run's state now, in the operator's words (already approved, rejected, succeeded, …)
  const why = d.kind === 'not_held' ? statusText(d.report, lang.t) : d.kind;
  throw cliError(lang, ExitCode.Failed, 'not_held', 'cli.notHeld', { runId, why });
}

/** `dtsync approve <runId>`: starts a run that re-reads both sides and applies if nothing new is risky. */
export function approveCommand(t: Translate): Command {
  return withConfigOption(new Command('approve'), t)
    .description(t('help.approve'))
    .argument('<runId>', t('help.arg.heldRun'))
    .option('--wait', t('help.approve.wait'))
    .option('--json', t('help.opt.json'))
    .action(async (runId: string, flags: { wait?: boolean; json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const decision = await approveHeld(op.queue, op.history, runId, cliActor(), (id) => {
          const profile = op.loaded.config.profiles.find((p) => p.id === id);
          return profile === undefined ? undefined : profileFingerprint(profile);
        });
        if (decision.kind !== 'approved') refused(decision, runId, op.lang);
        const json = flags.json === true;
        // as the API answers: the held run, its status now, and the run that applies it
        if (json && flags.wait !== true)
          printJson({ runId, status: decision.report.status, approvalRunId: decision.approvalRunId });
        if (!json) printLine(decision.approvalRunId);
        if (flags.wait !== true) return;
        const report = await followRun(op, decision.approvalRunId, printNote, waitOptions(op.loaded.config));
        // --json: the report `sync --wait --json` prints for the run it ends with
        if (json) printJson(await reportJson(op.history, report, op.lang.t, { allChanges: report.dryRun }));
        else await printRun(op.history, report, printLine, reportStyle(op, report.profileId));
        process.exitCode = exitCodeForReport(report);
      });
    });
}

/** `dtsync reject <runId>`: closes a held run; nothing of it is applied. */
export function rejectCommand(t: Translate): Command {
  return withConfigOption(new Command('reject'), t)
    .description(t('help.reject'))
    .argument('<runId>', t('help.arg.heldRun'))
    .option('--json', t('help.opt.json'))
    .action(async (runId: string, flags: { json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const decision = await rejectHeld(op.history, runId, cliActor());
        // rejecting twice is the operator's intent already done: said, and not an error
        if (decision.kind === 'not_held' && decision.report.status === 'rejected') {
          if (flags.json === true) printJson({ runId, status: decision.report.status });
          else printLine(op.lang.t('cli.alreadyRejected', { runId }));
          return;
        }
        if (decision.kind !== 'rejected') refused(decision, runId, op.lang);
        if (flags.json === true) printJson({ runId, status: decision.report.status });
        else printLine(op.lang.t('cli.rejected', { runId }));
      });
    });
}
