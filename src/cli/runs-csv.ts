import { once } from 'node:events';
import { csvDocument } from '../report/csv.js';
import { rowOf } from '../report/list-rows.js';
import type { RunSummary } from '../report/summary.js';
import { ExitCode } from '../errors/exit-code.js';
import { RUN_LISTS, type RunListName } from '../state/list-filter.js';
import { cliError } from './lang.js';
import { reportStyle, type Operator } from './operator.js';

const isList = (s: string): s is RunListName => (RUN_LISTS as readonly string[]).includes(s);

/**
 * `dtsync runs show <runId> --csv changes|held|failures`: the list as the console's CSV export
 * writes it (same columns, masking and escaping), streamed to stdout a few chunks at a time.
 */
export async function printCsv(op: Operator, run: RunSummary, list: string): Promise<void> {
  if (!isList(list)) throw cliError(op.lang, ExitCode.Usage, 'unknown_list', 'cli.runs.badList', { list });
  const which: RunListName = list;
  const style = reportStyle(op, run.profileId);
  const departments = await op.history.lists.departments(run.runId);
  const row = rowOf(run, departments, op.lang.t);
  async function* rows() {
    for await (const e of op.history.lists.entries(which, run, {}, departments)) yield row(e);
  }
  for await (const piece of csvDocument(rows(), style))
    if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
}
