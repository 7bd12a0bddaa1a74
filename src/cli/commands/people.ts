import { Command } from 'commander';
import type { Translate } from '../../i18n/catalog.js';
import { localTime } from '../../i18n/time.js';
import { personPage, searchPeople } from '../../people/lookup.js';
import { PeopleReader } from '../../people/store.js';
import type { DepartmentTree, PersonPage } from '../../people/types.js';
import { accountStatus, disabledText, eventChanges, eventResult } from '../../people/words.js';
import { actionText } from '../../report/words.js';
import { ExitCode } from '../../errors/exit-code.js';
import { profileOf, withConfigOption } from '../context.js';
import { cliError } from '../lang.js';
import { reportStyle, withOperator } from '../operator.js';
import type { ReportStyle } from '../print-report.js';
import { printJson, printLine } from '../output.js';

/** One person's page as text: what the console's person page shows. */
function printPerson(p: PersonPage, style: ReportStyle): void {
  const { t } = style;
  const time = (iso: string) => localTime(iso, style.timeZone, style.locale);
  const c = p.card;
  printLine(`${c.name} · ${c.pdsUserId} (${t('people.col.userid')} ${c.userid})`);
  const d = c.dingtalk;
  if (d === undefined) printLine(t('person.dingtalk.absent', { runId: c.runId, at: time(c.at) }));
  else {
    printLine(t('person.dingtalk', { runId: c.runId, at: time(c.at) }));
    printLine(
      `  ${t('person.field.departments')}: ${d.departments.map((x) => `${x.name} (${x.id})`).join('、')}`,
    );
    const field = (v: string | undefined, a: string) =>
      a === 'not_authorised' ? t('person.field.notAuthorised') : (v ?? t('person.field.empty'));
    printLine(`  ${t('person.field.mobile')}: ${field(d.mobile, d.access.mobile)}`);
    printLine(`  ${t('person.field.email')}: ${field(d.email, d.access.email)}`);
  }
  const a = c.pds;
  printLine(t('person.pds'));
  if (!a.exists) printLine(`  ${t('person.pds.missing')}`);
  else {
    printLine(`  ${t('person.pds.status')}: ${accountStatus(a.status, t)}`);
    const disabled = disabledText(a, t, time);
    if (disabled !== undefined) printLine(`  ${disabled}`);
    printLine(`  ${t('person.pds.groups')}: ${a.groups.join('、')}`);
    const links = a.links?.map((l) => `${l.type}: ${l.identity}`).join('、') ?? t('person.pds.linksUnknown');
    printLine(`  ${t('person.pds.links')}: ${links}`);
  }
  if (p.reentrySince !== undefined) printLine(t('person.reentry', { since: time(p.reentrySince) }));
  printLine(t('person.history'));
  if (p.events.length === 0) printLine(`  ${t('person.history.empty')}`);
  for (const e of p.events) {
    const changes = eventChanges(e, t);
    printLine(
      `  ${time(e.at)} ${e.runId} ${actionText(e.action, t)}${changes === '' ? '' : ` ${changes}`} · ${eventResult(e, t)}`,
    );
  }
}

function printTree(tree: DepartmentTree, style: ReportStyle): void {
  const { t } = style;
  printLine(
    t('departments.seen', {
      runId: tree.runId,
      at: localTime(tree.at, style.timeZone, style.locale),
      n: tree.departments.length,
    }),
  );
  const ids = new Set(tree.departments.map((d) => d.id));
  const children = new Map<number | undefined, typeof tree.departments>();
  for (const d of tree.departments) {
    const parent = d.parentId !== undefined && ids.has(d.parentId) ? d.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const walk = (parent: number | undefined, depth: number): void => {
    for (const d of children.get(parent) ?? []) {
      const scope = d.inScope ? '' : ` · ${t('departments.col.inScope')}: ${t('departments.no')}`;
      printLine(
        `${'  '.repeat(depth)}${d.name} (${d.id}) · ${t('departments.col.members')} ${d.members}${scope}`,
      );
      walk(d.id, depth + 1);
    }
  };
  walk(undefined, 0);
}

/**
 * `dtsync person <profile> <query>`: the person a name, DingTalk userid, PDS user id or a
 * phone's last four digits names; several matches are listed, one is shown whole.
 */
export function personCommand(t: Translate): Command {
  return withConfigOption(new Command('person'), t)
    .description(t('help.person'))
    .argument('<profile>', t('help.arg.profile'))
    .argument('<query>', t('help.person.query'))
    .option('--json', t('help.opt.json'))
    .action(async (profileId: string, query: string, flags: { json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const profile = profileOf(op.loaded.config, profileId, op.lang);
        const reader = new PeopleReader(op.redis, op.keys);
        const hits = await searchPeople(reader, [profile.id], query);
        const only =
          hits.length === 1 ? hits[0] : hits.find((h) => h.pdsUserId === query || h.userid === query);
        if (hits.length === 0)
          throw cliError(op.lang, ExitCode.NotFound, 'person.not_found', 'people.search.none', { q: query });
        const style = reportStyle(op, profile.id);
        if (only === undefined) {
          if (flags.json === true) return printJson({ hits });
          for (const h of hits)
            printLine(
              `${h.name} · ${h.pdsUserId} · ${h.userid} · ${h.departments.join('、')} · ${accountStatus(h.status, style.t)}`,
            );
          return;
        }
        const page = await personPage(reader, [profile.id], only.pdsUserId);
        if (page === undefined)
          throw cliError(op.lang, ExitCode.NotFound, 'person.not_found', 'people.search.none', { q: query });
        if (flags.json === true) printJson(page);
        else printPerson(page, style);
      });
    });
}

/** `dtsync departments <profile>`: the DingTalk departments as the last complete run saw them. */
export function departmentsCommand(t: Translate): Command {
  return withConfigOption(new Command('departments'), t)
    .description(t('help.departments'))
    .argument('<profile>', t('help.arg.profile'))
    .option('--json', t('help.opt.json'))
    .action(async (profileId: string, flags: { json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const profile = profileOf(op.loaded.config, profileId, op.lang);
        const tree = await new PeopleReader(op.redis, op.keys).departments(profile.id);
        if (flags.json === true) printJson(tree ?? null);
        else if (tree === undefined) printLine(op.lang.t('departments.none'));
        else printTree(tree, reportStyle(op, profile.id));
      });
    });
}
