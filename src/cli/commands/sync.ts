import { Command } from 'commander';
import { estimateOf } from '../../check/run-check.js';
import { profileFingerprint } from '../../config/fingerprint.js';
import { enqueueManual } from '../../queue/enqueue.js';
import { wordedReport } from '../../report/words.js';
import { cliActor } from '../actor.js';
import { profileOf, withConfigOption } from '../context.js';
import { exitCodeForReport } from '../exit-for-report.js';
import { followRun, waitOptions } from '../follow.js';
import { reportStyle, withOperator } from '../operator.js';
import { printReport } from '../print-report.js';
import { printJson, printLine, printNote } from '../output.js';

interface Flags {
  waitForWorker?: boolean;
  dryRun?: boolean;
  deep?: boolean;
  wait?: boolean;
  json?: boolean;
}

/** `dtsync sync <profile>`: "sync now". Returns a waiting or active run of the profile instead of queuing another. */
export function syncCommand(): Command {
  return withConfigOption(new Command('sync'))
    .description('enqueue a manual sync run of a profile ("sync now") and print its run id')
    .argument('<profile>', 'profile id')
    .option('--dry-run', 'plan only: read both sides, change nothing')
    .option('--deep', "also read and repair every managed user's login links")
    .option(
      '--wait',
      'follow the run and exit with its outcome (0 ok, 1 failed, 3 with errors, 4 held, 5 unreachable, 7 none)',
    )
    .option('--json', 'with --wait, print the full report (a dry run includes the plan) as JSON')
    .option('--wait-for-worker', 'with --wait, keep waiting while no sync worker is online (else exit 7)')
    .action(async (profileId: string, flags: Flags, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const profile = profileOf(op.loaded.config, profileId, op.lang);
        const run = await enqueueManual(op.queue, profileId, {
          dryRun: flags.dryRun === true,
          deep: flags.deep === true,
          configFingerprint: profileFingerprint(profile),
          actor: cliActor(),
        });
        if (flags.json !== true || flags.wait !== true) {
          printLine(
            run.existing ? op.lang.t('cli.existing', { runId: run.runId, profile: profileId }) : run.runId,
          );
        }
        if (flags.wait !== true) return;
        const last = await op.history.lastSync(profileId);
        const report = await followRun(op, run.runId, printNote, {
          ...waitOptions(op.loaded.config),
          ...(flags.waitForWorker === true ? { noWorkerMs: Infinity } : {}),
          // the check's call budget, for the walk the last run made
          estimateMinutes:
            last === undefined ? undefined : estimateOf(profile, last.apiCalls.dingtalk, last.source).minutes,
        });
        if (flags.json === true) {
          // a dry run prints its whole plan: the report holds the first changes, the log all
          const changes =
            report.dryRun && report.changesTruncated
              ? await op.history.changes(report.runId)
              : report.changes;
          printJson({ ...wordedReport(report, op.lang.t), changes, changesTruncated: false });
        } else printReport(report, printLine, reportStyle(op, profileId));
        process.exitCode = exitCodeForReport(report);
      });
    });
}
