import { Command } from 'commander';
import type { Profile } from '../../config/schema.js';
import { runDataOf } from '../../queue/jobs.js';
import { alertLines, alertStateOf, type AlertState } from '../../notify/alert-state.js';
import type { RunReport } from '../../report/types.js';
import { nextSlot, unscheduledReason } from '../../scheduler/slots.js';
import { profileOf, withConfigOption } from '../context.js';
import { withOperator, type Operator } from '../operator.js';
import { printJson, printLine } from '../output.js';

interface ProfileStatus {
  readonly profileId: string;
  readonly syncEnabled: boolean;
  readonly lastSync:
    | (Pick<RunReport, 'runId' | 'status' | 'startedAt' | 'finishedAt' | 'trigger' | 'counts' | 'source'> & {
        readonly failures: number;
        readonly firstFailures: readonly string[];
        readonly error?: string;
      })
    | null;
  readonly awaitingApproval: { readonly runId: string; readonly heldReason: string | undefined } | null;
  readonly activeOrWaiting: readonly {
    readonly runId: string;
    readonly state: string;
    readonly trigger: string;
  }[];
  readonly nextRun: string | null;
  readonly alerts: AlertState;
}

async function statusOf(op: Operator, profile: Profile, now: Date): Promise<ProfileStatus> {
  const last = await op.history.lastSync(profile.id);
  const heldId = await op.history.heldRunId(profile.id);
  const held = heldId === undefined ? undefined : await op.history.get(heldId);
  const jobs = await op.queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']);
  const mine = await Promise.all(
    jobs
      .flatMap((j) => {
        const data = runDataOf(j);
        return data?.profileId === profile.id ? [{ job: j, trigger: data.trigger }] : [];
      })
      .map(async ({ job, trigger }) => ({ runId: String(job.id), state: await job.getState(), trigger })),
  );
  const next = unscheduledReason(profile) === undefined ? nextSlot(profile, now) : undefined;
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
            failures: last.failures.length,
            firstFailures: last.failures
              .slice(0, 5)
              .map((f) => `${f.pdsUserId ?? f.dingtalkUserId ?? ''}: ${f.reason}`),
            ...(last.error === undefined ? {} : { error: last.error.message }),
          },
    awaitingApproval: held === undefined ? null : { runId: held.runId, heldReason: held.heldReason },
    activeOrWaiting: mine,
    nextRun: next?.toISOString() ?? null,
    alerts: await alertStateOf(op.redis, op.keys.prefix, profile.id),
  };
}

function print(s: ProfileStatus): void {
  printLine(`${s.profileId}${s.syncEnabled ? '' : ' (sync switched off)'}`);
  const l = s.lastSync;
  if (l === null) printLine('  last sync: never');
  else {
    const c = l.counts;
    printLine(
      `  last sync: ${l.finishedAt} ${l.status} (run ${l.runId}, ${l.trigger}): ${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.failed} failed`,
    );
    if (l.error !== undefined) printLine(`    error: ${l.error}`);
    for (const f of l.firstFailures) printLine(`    failed: ${f}`);
  }
  if (s.awaitingApproval !== null)
    printLine(`  awaiting approval: run ${s.awaitingApproval.runId}: ${s.awaitingApproval.heldReason ?? ''}`);
  for (const r of s.activeOrWaiting) printLine(`  ${r.state}: run ${r.runId} (${r.trigger})`);
  printLine(`  next scheduled run: ${s.nextRun ?? 'none (manual)'}`);
  alertLines(s.alerts).forEach((l) => printLine(l));
}

/** `dtsync status [profile]`: last sync info, any run awaiting approval, and the next scheduled run. */
export function statusCommand(): Command {
  return withConfigOption(new Command('status'))
    .description(
      'per profile: the last sync, any run awaiting approval, runs in progress, and the next scheduled run',
    )
    .argument('[profile]', 'one profile (default: all)')
    .option('--json', 'print JSON')
    .action(async (profileId: string | undefined, flags: { json?: boolean }, cmd: Command) => {
      await withOperator(cmd, async (op) => {
        const profiles =
          profileId === undefined ? op.loaded.config.profiles : [profileOf(op.loaded.config, profileId)];
        const now = new Date();
        const all = await Promise.all(profiles.map((p) => statusOf(op, p, now)));
        if (flags.json === true) printJson(all);
        else all.forEach(print);
      });
    });
}
