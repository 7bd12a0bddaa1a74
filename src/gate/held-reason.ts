import type { Coded } from '../i18n/coded.js';

/** Which safety gate held a run, and why. `disable_budget`: the rolling disable budget (src/gate/budget.ts). */
export type HoldCode =
  | 'target_changed'
  | 'populated_domain'
  | 'source_drop'
  | 'foreign_org'
  | 'scope_changed'
  | 'disable_limit'
  | 'disable_budget'
  | 'quota';

/** Why a run is held, as catalog data: `hold.<code>` words it in the reader's language. */
export type HeldReason = Coded<HoldCode>;
