import { maskEmail, maskPhone } from '../infra/mask.js';
import type { FieldChanges } from '../plan/types.js';
import { zeroCounts, type RunChange, type RunCounts, type RunFailure } from '../report/types.js';

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

/** What apply did: counts, failures and the change log, filled concurrently. */
export class ApplyOutcome {
  readonly counts: RunCounts = zeroCounts();
  readonly failures: RunFailure[] = [];
  readonly changes: RunChange[] = [];

  fail(f: RunFailure): void {
    this.failures.push(f);
    this.counts.failed++;
  }

  change(c: RunChange): void {
    this.changes.push(c.fields === undefined ? c : { ...c, fields: maskChanges(c.fields) });
  }
}
