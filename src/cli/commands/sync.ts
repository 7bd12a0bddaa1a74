import type { Translate } from '../../i18n/catalog.js';
import { Command } from 'commander';
import { estimateOf } from '../../check/run-check.js';
import { profileFingerprint } from '../../config/fingerprint.js';
import { enqueueManual } from '../../queue/enqueue.js';
import { cliActor } from '../actor.js';
import { profileOf, withConfigOption } from '../context.js';
import { exitCodeForReport } from '../exit-for-report.js';
import { followRun, waitOptions } from '../follow.js';
import { reportStyle, withOperator } from '../operator.js';
import { printRun } from '../print-report.js';
import { reportJson } from '../report-json.js';
import { printJson, printLine, printNote } from '../output.js';

interface Flags {
  waitForWorker?: boolean;
  dryRun?: boolean;
  deep?: boolean;
  wait?: boolean;
  json?: boolean;
}

/** `dtsync sync <profile>`: "sync now". Returns a waiting or active run of the profile instead of queuing another. */
export function syncCommand(t: Translate): Command {
  return withConfigOption(new Command('sync'), t)
    .description(t('help.sync'))
    .argument('<profile>', t('help.arg.profile'))
    .option('--dry-run', t('help.sync.dryRun'))
    .option('--deep', t('help.sync.deep'))
    .option('--wait', t('help.sync.wait'))
    .option('--json', t('help.sync.json'))
    .option('--wait-for-worker', t('help.sync.waitForWorker'))
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
          // a dry run prints its whole plan
          printJson(await reportJson(op.history, report, op.lang.t, { allChanges: report.dryRun }));
        } else await printRun(op.history, report, printLine, reportStyle(op, profileId));
        process.exitCode = exitCodeForReport(report);
      });
    });
}
