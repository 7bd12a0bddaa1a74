import { QueueEvents } from 'bullmq';
import type { Config, Profile } from '../../src/config/schema.js';
import { createLogger } from '../../src/process/logger.js';
import { SYNC_QUEUE } from '../../src/queue/jobs.js';
import type { SyncQueue } from '../../src/queue/queue.js';
import { workerConnection } from '../../src/redis/connections.js';
import type { RunSummary } from '../../src/report/summary.js';
import { enqueueSlot } from '../../src/scheduler/enqueue-slot.js';
import { nextSlot } from '../../src/calendar/slots.js';
import type { RunHistory } from '../../src/state/history.js';
import { cpuSeconds, peakRssMB, resetPeakRss, type Proc } from '../procs.js';
import { postJson } from '../setup.js';
import type { TenantsBench } from './setup.js';

export interface ReplayDeps {
  readonly queue: SyncQueue;
  readonly history: RunHistory;
  readonly redisUrl: string;
  readonly redisPid: number | undefined;
  readonly log: (s: string) => void;
}

/** One profile's scheduled run as the replay saw it. */
export interface ReplayedRun {
  readonly profile: Profile;
  /** The slot's offset in the hour (ms), from the scheduler's slot maths. */
  readonly offsetMs: number;
  readonly runId: string;
  /** The second scheduler's enqueue of the same slot found the first one's job. */
  readonly deduplicated: boolean;
  readonly report: RunSummary | undefined;
}

export interface Replay {
  readonly hourStart: Date;
  /** Real epoch ms at which the replayed hour began. */
  readonly t0: number;
  /** Real epoch ms at which the last run finished. */
  readonly end: number;
  readonly runs: readonly ReplayedRun[];
  readonly workerPeakRssMB: number;
  readonly simulatorPeakRssMB: number;
  readonly cpuSeconds: { workers: number; simulators: number; redis: number };
}

const DAY_MS = 86_400_000;

/** The `day`-th next start of `hour`:00 UTC (0 = the next one after now). */
export function hourStartOf(hour: number, day: number, now = Date.now()): Date {
  const d = new Date(now);
  let start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour);
  if (start <= now) start += DAY_MS;
  return new Date(start + day * DAY_MS);
}

/**
 * One scheduled hour, replayed in real time: each profile's slot comes from the scheduler's own
 * slot maths (`nextSlot` with `scheduler.spreadMinutes`), and at its offset from the hour's start
 * it is enqueued through the scheduler's own `enqueueSlot` by two schedulers, as two scheduler
 * processes would (the second must find the first's job). The replay stands in for croner's
 * timers only; the workers run the jobs as in production.
 */
export async function replayHour(
  b: TenantsBench,
  config: Config,
  day: number,
  workers: readonly Proc[],
  d: ReplayDeps,
): Promise<Replay> {
  const spread = config.scheduler.spreadMinutes;
  const hourStart = hourStartOf(b.hour, day);
  const slots = config.profiles.map((profile) => {
    const slot = nextSlot(profile, new Date(hourStart.getTime() - 1), spread);
    if (slot === undefined) throw new Error(`${profile.id} has no slot`);
    return { profile, slot, offsetMs: slot.getTime() - hourStart.getTime() };
  });
  await postJson(`${b.dingtalk.apps[0]?.url ?? ''}/_sim/gc`, {});
  await postJson(`${b.tenants[0]?.domain.url ?? ''}/_sim/gc`, {});
  for (const a of b.dingtalk.apps) await postJson(`${a.url}/_sim/counters/reset`, {});
  for (const t of b.tenants) await postJson(`${t.domain.url}/_sim/counters/reset`, {});
  const sims = [b.dingtalk.proc.child.pid, b.pds.proc.child.pid];
  for (const pid of [...workers.map((w) => w.child.pid), ...sims]) resetPeakRss(pid);
  const cpu = () => ({
    workers: workers.reduce((a, w) => a + cpuSeconds(w.child.pid), 0),
    simulators: sims.reduce<number>((a, pid) => a + cpuSeconds(pid), 0),
    redis: cpuSeconds(d.redisPid),
  });
  const eventsConnection = workerConnection(d.redisUrl);
  const events = new QueueEvents(SYNC_QUEUE, { connection: eventsConnection, prefix: b.prefix });
  await events.waitUntilReady();
  const silent = createLogger({ level: 'silent' });
  d.log(`replaying ${hourStart.toISOString()}: ${slots.length} slots over ${spread} minute(s)`);
  const cpu0 = cpu();
  const t0 = Date.now();
  const enqueued = await Promise.all(
    slots.map(
      (s) =>
        new Promise<{ runId: string; deduplicated: boolean }>((resolve, reject) => {
          setTimeout(() => {
            const twice = async () => {
              const first = await enqueueSlot(d.queue, s.profile, s.slot, 'tick', silent);
              if (first.deduplicated) throw new Error(`${first.slot} of ${s.profile.id} was enqueued before`);
              const second = await enqueueSlot(d.queue, s.profile, s.slot, 'tick', silent);
              return {
                runId: first.runId,
                deduplicated: second.deduplicated && second.runId === first.runId,
              };
            };
            twice().then(resolve, reject);
          }, s.offsetMs);
        }),
    ),
  );
  d.log(`all ${enqueued.length} slots enqueued after ${Math.round((Date.now() - t0) / 1000)} s`);
  await Promise.all(
    enqueued.map(async ({ runId }) => {
      const job = await d.queue.getJob(runId);
      await job?.waitUntilFinished(events).catch(() => undefined);
    }),
  );
  const end = Date.now();
  const cpu1 = cpu();
  await events.close();
  eventsConnection.disconnect();
  const reports = await Promise.all(enqueued.map((e) => d.history.get(e.runId)));
  return {
    hourStart,
    t0,
    end,
    runs: slots.map((s, i) => ({
      profile: s.profile,
      offsetMs: s.offsetMs,
      runId: enqueued[i]?.runId ?? '',
      deduplicated: enqueued[i]?.deduplicated ?? false,
      report: reports[i],
    })),
    workerPeakRssMB: Math.max(0, ...workers.map((w) => peakRssMB(w.child.pid))),
    simulatorPeakRssMB: Math.max(0, ...sims.map((pid) => peakRssMB(pid))),
    cpuSeconds: {
      workers: cpu1.workers - cpu0.workers,
      simulators: cpu1.simulators - cpu0.simulators,
      redis: cpu1.redis - cpu0.redis,
    },
  };
}
