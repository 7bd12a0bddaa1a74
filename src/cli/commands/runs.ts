import { Command } from 'commander';
import { CliError, ExitCode } from '../../infra/exit-codes.js';
import { profileOf, withConfigOption } from '../context.js';
import { withOperator } from '../operator.js';
import { printReport } from '../print-report.js';
import { printJson, printLine } from '../output.js';

/** `dtsync runs list <profile>` and `dtsync runs show <runId>`: the run history. */
export function runsCommand(): Command {
  const runs = new Command('runs').description('run history');
  withConfigOption(runs.command('list'))
    .description("a profile's runs, newest first")
    .argument('<profile>', 'profile id')
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .action(async (profileId: string, flags: { limit: number; json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        profileOf(op.loaded.config, profileId);
        const list = await op.history.list(profileId, flags.limit);
        if (flags.json === true) {
          printJson(list.map(({ changes: _c, ...r }) => r));
          return;
        }
        for (const r of list) {
          const c = r.counts;
          printLine(
            `${r.runId}\t${r.startedAt}\t${r.trigger}${r.dryRun ? '(dry)' : ''}\t${r.status}\t+${c.created} ~${c.updated} -${c.disabled} !${c.failed}`,
          );
        }
      });
    });
  withConfigOption(runs.command('show'))
    .description('the full report of a run, with every failure reason')
    .argument('<runId>', 'run id')
    .option('--json', 'print JSON')
    .option('--changes', 'with --json, include the full change log')
    .action(async (runId: string, flags: { json?: boolean; changes?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const r = await op.history.get(runId);
        if (r === undefined) throw new CliError(`unknown run ${runId}`, ExitCode.NotFound);
        if (flags.json === true) {
          const changes = flags.changes === true ? await op.history.changes(runId) : r.changes;
          printJson({ ...r, changes });
        } else printReport(r, printLine, Number.MAX_SAFE_INTEGER);
      });
    });
  return runs;
}
