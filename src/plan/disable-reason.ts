/**
 * Why the sync disabled a user: the one list of codes. `dtsync_disabled_reason` on the PDS user,
 * the disable change a run stores, its report, the person page and the CSV carry the code; the
 * catalog words it (`disableReason.<code>`).
 */
export const DISABLE_REASONS = [
  'left',
  'out_of_scope',
  'moved_out',
  'unexplained',
  'identity_reused',
] as const;

export type DisableReason = (typeof DISABLE_REASONS)[number];

/** The reasons an absence from the walk can be confirmed as (identity_reused is a retirement). */
export type AbsenceReason = Exclude<DisableReason, 'identity_reused'>;

/**
 * A disable as a run plans it: one of the reasons, or `unconfirmed` when a pre-flight held the
 * run before its absences were read (src/engine/absence-step.ts). An unconfirmed disable is only
 * shown: a held run writes nothing, and the run that follows an approval confirms again.
 */
export type PlannedDisableReason = DisableReason | 'unconfirmed';

export const PLANNED_DISABLE_REASONS = [
  ...DISABLE_REASONS,
  'unconfirmed',
] as const satisfies readonly PlannedDisableReason[];

/**
 * The order a disable budget spends its room in (src/gate/budget.ts): the surest first.
 * `unconfirmed` never reaches a budget; it is last for completeness.
 */
export const DISABLE_PRIORITY: readonly PlannedDisableReason[] = [
  'left',
  'identity_reused',
  'out_of_scope',
  'moved_out',
  'unexplained',
  'unconfirmed',
];
