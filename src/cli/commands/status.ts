import { Command } from 'commander';
import { inGrace, type GracePerson } from '../../absence/grace.js';
import type { Profile } from '../../config/schema.js';
import { jobStateText } from '../../queue/job-state.js';
import { alertStateOf, type AlertState } from '../../notify/alert-state.js';
import type { RunReport, RunTrigger } from '../../report/types.js';
import { nextSlot, unscheduledReason } from '../../calendar/slots.js';
import { intArg, statesArg } from '../arg-parsers.js';
import { withConfigOption } from '../context.js';
import { lastRealRun, liveRunsByProfile, type LiveJob } from '../../status/profile-states.js';
import { chosenProfiles, printListFooter, printSummary, type ListFlags } from './status-list.js';
import { reportStyle, withOperator, type Operator } from '../operator.js';
import type { ReportStyle } from '../print-report.js';
import type { Translate } from '../../i18n/catalog.js';
import { failureText, heldText, runErrorText } from '../../report/words.js';
import { localTime } from '../../i18n/time.js';
import { printJson, printLine } from '../output.js';
import { orgMonths, type OrgMonth } from '../../quota/org-month.js';
import { monthLines } from '../../quota/month-words.js';
import { organisationOf } from '../../config/organisation.js';

interface ProfileStatus {
  readonly profileId: string;
  readonly syncEnabled: boolean;
  readonly lastSync:
    | (Pick<RunReport, 'runId' | 'status' | 'startedAt' | 'finishedAt' | 'trigger' | 'counts' | 'source'> & {
        readonly failures: number;
        /** The first failed records: the record, the reason's stable kind and code, and its words. */
        readonly firstFailures: readonly {
          readonly record: string;
          readonly kind: string | undefined;
          readonly code: string;
          readonly text: string;
        }[];
        readonly error?: { readonly code: string; readonly text: string };
      })
    | null;
  readonly awaitingApproval: {
    readonly runId: string;
    /** Why, with its stable code (absent on reports from before held reasons had codes). */
    readonly heldReason: { readonly code?: string; readonly text: string } | undefined;
  } | null;
  readonly activeOrWaiting: readonly {
    readonly runId: string;
    readonly state: string;
    readonly trigger: RunTrigger;
  }[];
  readonly nextRun: string | null;
  /** People gone from DingTalk without an explanation, not disabled before their grace ends. */
  readonly inGrace: readonly GracePerson[];
  readonly alerts: AlertState;
  /** DingTalk calls this month of the profile's organisation, shared with its other profiles. */
  readonly dingtalkMonth: OrgMonth | null;
}

async function statusOf(
  op: Operator,
  profile: Profile,
  live: ReadonlyMap<string, readonly LiveJob[]>,
  now: Date,
  t: Translate,
): Promise<ProfileStatus> {
  const last = await lastRealRun(op.history, profile.id);
  const heldId = await op.history.heldRunId(profile.id);
  const held = heldId === undefined ? undefined : await op.history.get(heldId);
  const mine = await Promise.all(
    (live.get(profile.id) ?? []).map(async ({ job, data }) => ({
      runId: String(job.id),
      state: await job.getState(),
      trigger: data.trigger,
    })),
  );
  // the first failures: one page of the run's list, never the list
  const firstFailures =
    last === undefined || last.counts.failed === 0
      ? []
      : (
          await op.history.lists.page(
            'failures',
            last,
            { page: 1, pageSize: 5 },
            await op.history.lists.departments(last.runId),
          )
        ).items;
  const next =
    unscheduledReason(profile) === undefined
      ? nextSlot(profile, now, op.loaded.config.scheduler.spreadMinutes)
      : undefined;
  const profiles = op.loaded.config.profiles;
  const [month] = await orgMonths(op.redis, op.keys, profiles, now, organisationOf(profiles, profile));
  return {
    profileId: profile.id,
    syncEnabled: profile.sync.enabled,
    lastSync:
      last === undefined
        ? null
        : {
            runId: last.runId,
            status: last.status,
            startedAt: last.startedAt,
            finishedAt: last.finishedAt,
            trigger: last.trigger,
            counts: last.counts,
            source: last.source,
            failures: last.counts.failed,
            firstFailures: firstFailures.flatMap((c) =>
              c.failure === undefined
                ? []
                : [
                    {
                      record: c.pdsUserId ?? c.dingtalkUserId ?? '',
                      action: c.action,
                      kind: c.failure.kind,
                      code: c.failure.code,
                      text: failureText(c.failure, t),
                    },
                  ],
            ),
            ...(last.error === undefined
              ? {}
              : { error: { code: last.error.code, text: runErrorText(last.error, t) } }),
          },
    awaitingApproval:
      held === undefined
        ? null
        : {
            runId: held.runId,
            heldReason:
              held.heldReason === undefined
                ? undefined
                : {
                    ...(typeof held.heldReason === 'string' ? {} : { code: held.heldReason.code }),
                    text: heldText(held.heldReason, t),
                  },
          },
    activeOrWaiting: mine,
    nextRun: next?.toISOString() ?? null,
    inGrace: await inGrace(op.redis, op.keys, profile.id, profile.sync.safety.absenceGraceHours, now),
    alerts: await alertStateOf(op.redis, op.keys.prefix, profile.id),
    dingtalkMonth: month ?? null,
  };
}

function print(s: ProfileStatus, style: ReportStyle): void {
  const { t } = style;
  const time = (iso: string) => localTime(iso, style.timeZone, style.locale);
  const trigger = (x: RunTrigger) => t(`trigger.${x}`);
  printLine(`${s.profileId}${s.syncEnabled ? '' : t('cli.status.off')}`);
  const l = s.lastSync;
  if (l === null) printLine(t('cli.status.never'));
  else {
    printLine(
      t('cli.status.last', {
        at: time(l.finishedAt),
        status: t(`status.${l.status}`),
        runId: l.runId,
        trigger: trigger(l.trigger),
        ...l.counts,
      }),
    );
    if (l.error !== undefined) printLine(t('cli.status.error', { error: l.error.text }));
    for (const f of l.firstFailures) printLine(t('cli.status.failed', { who: f.record, reason: f.text }));
  }
  if (s.awaitingApproval !== null)
    printLine(
      t('cli.status.held', {
        runId: s.awaitingApproval.runId,
        reason: s.awaitingApproval.heldReason?.text ?? '',
      }),
    );
  for (const r of s.activeOrWaiting) {
    printLine(
      t('cli.status.live', {
        state: jobStateText(t, r.state),
        runId: r.runId,
        trigger: trigger(r.trigger),
      }),
    );
  }
  printLine(t('cli.status.next', { next: s.nextRun === null ? t('next.none') : time(s.nextRun) }));
  if (s.dingtalkMonth !== null) for (const line of monthLines(s.dingtalkMonth, t)) printLine(`  ${line}`);
  for (const g of s.inGrace)
    printLine(t('cli.status.grace', { name: g.name, userid: g.userid, until: time(g.until) }));
  const open = s.alerts.openIncidents.map((i) =>
    i.runId === null
      ? `${t(`notify.kind.${i.kind}`)} ${t('alerts.since', { at: time(i.openedAt) })}`
      : t('cli.status.alertRun', {
          alert: `${t(`notify.kind.${i.kind}`)} ${t('alerts.since', { at: time(i.openedAt) })}`,
          runId: i.runId,
        }),
  );
  printLine(t('cli.status.alerts', { open: open.length === 0 ? t('alerts.none') : open.join('; ') }));
  const last = s.alerts.lastNotification;
  if (last !== null) {
    const how = last.results.map(
      (r) =>
        `${t(`cli.status.channel.${r.channel}`)} ${t(`cli.status.outcome.${r.outcome}`)}${r.detail === undefined ? '' : ` (${r.detail})`}`,
    );
    printLine(
      t('cli.status.lastNotification', {
        at: time(last.at),
        kind: t(`notify.kind.${last.kind}`),
        state: t(`cli.status.incident.${last.state}`),
        failed: last.failed ? t('cli.status.sendFailed') : '',
        how: how.join(', '),
      }),
    );
  }
}

/**
 * `dtsync status [profile]`: last sync info, any run awaiting approval, and the next scheduled
 * run. For a deployment of many profiles: `--status` keeps those in the given states, `--limit`
 * and `--page` show one page of them, and `--summary` counts the profiles in each state.
 */
export function statusCommand(t: Translate): Command {
  return withConfigOption(new Command('status'), t)
    .description(t('help.status'))
    .argument('[profile]', t('help.status.profile'))
    .option('--status <states>', t('help.status.state'), statesArg(t))
    .option('--limit <n>', t('help.status.limit'), intArg(t, 1))
    .option('--page <n>', t('help.status.page'), intArg(t, 1))
    .option('--summary', t('help.status.summary'))
    .option('--json', t('help.opt.json'))
    .action(async (profileId: string | undefined, flags: ListFlags, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        // one read of the queue for every profile shown, however many
        const live = await liveRunsByProfile(op.queue);
        if (flags.summary === true && profileId === undefined) {
          await printSummary(op, live, flags.json === true);
          return;
        }
        const chosen = await chosenProfiles(op, profileId, flags, live);
        const now = new Date();
        const all = await Promise.all(chosen.shown.map((p) => statusOf(op, p, live, now, op.lang.t)));
        if (flags.json === true) printJson(all);
        else {
          all.forEach((x) => print(x, reportStyle(op, x.profileId)));
          printListFooter(op.lang.t, chosen);
        }
      });
    });
}
