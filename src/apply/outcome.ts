import { maskEmail, maskPhone } from '../report/mask.js';
import type { FieldChanges } from '../plan/types.js';
import { discardLog, type ChangeLog } from '../report/change-log.js';
import { zeroCounts, type RunChange, type RunCounts, type RunFailure } from '../report/types.js';

/**
 * Changes and failures a report carries inline; the change log has them all. Trades report size
 * in Redis for what a page shows without reading the log; safe to change.
 */
export const INLINE_CAP = 1000;

/** A failed record as the apply knows it: the words' kind and params when the cause is known. */
export type FailureInput = Omit<RunFailure, 'params'> & Partial<Pick<RunFailure, 'params'>>;

const maskField = (field: string, v: string | undefined): string | undefined => {
  if (v === undefined || v === '') return v;
  if (field === 'phone') return maskPhone(v);
  if (field === 'email') return maskEmail(v);
  return v;
};

/** Phones and emails in a change are masked before they are stored or logged. */
export function maskChanges(
  fields: FieldChanges,
): Record<string, readonly [string | undefined, string | undefined]> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, [a, b]]) => [k, [maskField(k, a), maskField(k, b)] as const]),
  );
}

/**
 * What a run did: counts, and the first changes and failures inline (every one goes to the
 * change log), filled concurrently. Phones and emails are masked on the way in.
 */
export class ApplyOutcome {
  readonly counts: RunCounts = zeroCounts();
  readonly failures: RunFailure[] = [];
  readonly changes: RunChange[] = [];
  changesTruncated = false;
  failuresTruncated = false;

  constructor(private readonly log: ChangeLog = discardLog) {}

  /** Records a failed record, with the kind its words are keyed on (report/failure-kind.ts). */
  fail(input: FailureInput): void {
    // `params` marks a coded failure: readers word its kind, and show `reason` only for older ones
    const f: RunFailure = { ...input, params: input.params ?? {} };
    this.counts.failed++;
    if (this.failures.length < INLINE_CAP) this.failures.push(f);
    else this.failuresTruncated = true;
    this.log.add({
      action: f.action,
      ...ids(f),
      failure: { code: f.code, kind: f.kind, reason: f.reason, params: f.params },
    });
  }

  /** Stores what the change log still buffers, with the counts applied so far. */
  flush(): Promise<void> {
    return this.log.flush(this.counts);
  }

  /**
   * While apply runs, stores the log and the applied counts every `everyMs`, so a worker
   * killed mid-apply leaves at most that much of its record unwritten, and the attempt that
   * recovers the run can count what this one did. Returns the stopper. A failed store
   * surfaces from the final `flush`.
   */
  flushEvery(everyMs: number): () => void {
    const timer = setInterval(() => {
      this.log.flush(this.counts).catch(() => undefined);
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  change(c: RunChange): void {
    const masked = c.fields === undefined ? c : { ...c, fields: maskChanges(c.fields) };
    if (this.changes.length < INLINE_CAP) this.changes.push(masked);
    else this.changesTruncated = true;
    this.log.add(masked);
  }
}

function ids(f: RunFailure): { dingtalkUserId?: string; pdsUserId?: string } {
  return {
    ...(f.dingtalkUserId === undefined ? {} : { dingtalkUserId: f.dingtalkUserId }),
    ...(f.pdsUserId === undefined ? {} : { pdsUserId: f.pdsUserId }),
  };
}
