import type { Translate } from '../../i18n/catalog.js';
import { Command } from 'commander';
import { intArg } from '../arg-parsers.js';
import { localTime } from '../../i18n/time.js';
import { ExitCode } from '../../errors/exit-code.js';
import { wordedReport } from '../../report/words.js';
import { cliError } from '../lang.js';
import { profileOf, withConfigOption } from '../context.js';
import { reportStyle, withOperator } from '../operator.js';
import { printRun, statusText } from '../print-report.js';
import { reportJson } from '../report-json.js';
import { printCsv } from '../runs-csv.js';
import { printJson, printLine } from '../output.js';

/** `dtsync runs list <profile>` and `dtsync runs show <runId>`: the run history. */
export function runsCommand(t: Translate): Command {
  const runs = new Command('runs').description(t('help.runs'));
  withConfigOption(runs.command('list'), t)
    .description(t('help.runs.list'))
    .argument('<profile>', t('help.arg.profile'))
    .option('--limit <n>', t('help.runs.limit'), intArg(t, 1), 20)
    .option('--json', t('help.opt.json'))
    .action(async (profileId: string, flags: { limit: number; json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        profileOf(op.loaded.config, profileId, op.lang);
        const list = await op.history.list(profileId, flags.limit);
        if (flags.json === true) {
          printJson(list.map((r) => wordedReport(r, op.lang.t)));
          return;
        }
        const style = reportStyle(op, profileId);
        const { t } = op.lang;
        printLine(t('runs.header'));
        for (const r of list) {
          // a dry run's counts are its plan
          const c = r.dryRun && r.planned !== undefined ? { ...r.counts, ...r.planned } : r.counts;
          printLine(
            [
              r.runId,
              localTime(r.startedAt, style.timeZone, style.locale),
              r.dryRun
                ? t('cli.runs.dry', { trigger: t(`trigger.${r.trigger}`) })
                : t(`trigger.${r.trigger}`),
              statusText(r, t),
              c.created,
              c.updated,
              c.disabled,
              c.failed,
            ].join('\t'),
          );
        }
      });
    });
  withConfigOption(runs.command('show'), t)
    .description(t('help.runs.show'))
    .argument('<runId>', t('help.arg.runId'))
    .option('--json', t('help.opt.json'))
    .option('--changes', t('help.runs.changes'))
    .option('--csv <list>', t('cli.runs.csv'))
    .action(
      async (runId: string, flags: { json?: boolean; changes?: boolean; csv?: string }, cmd: Command) => {
        await withOperator(cmd, async (op) => {
          const r = await op.history.get(runId);
          if (r === undefined)
            throw cliError(op.lang, ExitCode.NotFound, 'unknown_run', 'cli.unknownRun', { runId });
          if (flags.csv !== undefined) await printCsv(op, r, flags.csv);
          else if (flags.json === true)
            printJson(await reportJson(op.history, r, op.lang.t, { allChanges: flags.changes === true }));
          else
            await printRun(op.history, r, printLine, reportStyle(op, r.profileId, Number.MAX_SAFE_INTEGER));
        });
      },
    );
  return runs;
}
