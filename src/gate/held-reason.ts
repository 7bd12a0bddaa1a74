import type { Coded } from '../i18n/coded.js';

/** Which safety gate held a run, and why. `disable_budget`: the rolling disable budget (src/gate/budget.ts). */
export type HoldCode = 'source_drop' | 'foreign_org' | 'scope_changed' | 'disable_limit' | 'disable_budget';

/** Why a run is held, as catalog data: `hold.<code>` words it in the reader's language. */
export type HeldReason = Coded<HoldCode>;
