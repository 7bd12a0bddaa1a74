import { QueueEvents } from 'bullmq';
import type { Translate } from '../../i18n/catalog.js';
import { workerConnection } from '../../redis/connections.js';
import { enqueueManual } from '../../queue/enqueue.js';
import { SYNC_QUEUE } from '../../queue/jobs.js';
import type { SyncQueue } from '../../queue/queue.js';
import type { RunReport } from '../../report/types.js';
import type { DingTalkSimControl } from '../load-simulators.js';
import { statusText } from '../print-report.js';
import type { Cleanup } from './cleanup.js';
import { DEMO_PROFILE } from './config.js';
import { changeOrg, type DemoChange } from './org-changes.js';

export interface ServeOptions {
  readonly control: DingTalkSimControl;
  readonly queue: SyncQueue;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly everyMs: number;
  readonly t: Translate;
  readonly out: (line: string) => void;
}

function changeText(c: DemoChange, t: Translate): string {
  switch (c.kind) {
    case 'hire':
      return t('demo.change.hire', { name: c.name });
    case 'leave':
      return t('demo.change.leave', { name: c.name });
    case 'vanish':
      return t('demo.change.vanish', { name: c.name });
    case 'rename':
      return t('demo.change.rename', { from: c.from, to: c.to });
    case 'massLeave':
      return t('demo.change.massLeave', { n: c.count });
  }
}

const isReport = (v: unknown): v is RunReport =>
  typeof v === 'object' && v !== null && 'counts' in v && 'status' in v;

/**
 * While the demo serves: every `everyMs` one change of the simulated org, then a sync of it,
 * with its outcome on one line. One tick at a time; the next is timed from the last one's end.
 */
export async function changeOrgPeriodically(o: ServeOptions, cleanup: Cleanup): Promise<void> {
  // BullMQ leaves a connection it was given open on close(): the demo closes it itself
  const connection = workerConnection(o.redisUrl);
  const events = new QueueEvents(SYNC_QUEUE, { connection, prefix: o.prefix });
  events.on('error', () => undefined);
  await events.waitUntilReady();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  cleanup.add('org changes', async () => {
    stopped = true;
    clearTimeout(timer);
    await events.close();
    connection.disconnect();
  });
  let n = 0;
  const tick = async () => {
    const change = changeOrg(o.control, n++);
    o.out(changeText(change, o.t));
    const run = await enqueueManual(o.queue, DEMO_PROFILE, { dryRun: false, deep: false, actor: 'demo' });
    const job = await o.queue.getJob(run.runId);
    const result: unknown = await job?.waitUntilFinished(events);
    if (!isReport(result)) return;
    const c = result.counts;
    o.out(
      o.t('demo.changeSynced', {
        runId: result.runId,
        status: statusText(result, o.t),
        created: c.created,
        updated: c.updated,
        disabled: c.disabled,
        groups: c.groupsUpdated,
      }),
    );
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick().then(schedule, (err: unknown) => {
        if (!stopped)
          o.out(o.t('demo.changeFailed', { message: err instanceof Error ? err.message : String(err) }));
        schedule();
      });
    }, o.everyMs);
  };
  schedule();
}
