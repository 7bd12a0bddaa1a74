import type { SyncSettings } from '../config/schema.js';
import type { PlannedDisableReason } from './disable-reason.js';

/** How an existing PDS user is taken over (`sync.adoptExisting`, when it is on). */
export type AdoptedBy = Exclude<SyncSettings['adoptExisting'], 'off'>;

/**
 * What one record of a run did, or would do, or failed to do: the one vocabulary of changes
 * and failures. The report, the change log, `--json`, the pages and the notifications carry it
 * as data, and the catalog words it (`action.<type>`). Each member carries the ids its words
 * need, so nothing is parsed back out of text. Its zod schema is `changeActionSchema`
 * (src/state/schemas.ts), checked equal to this type by test/types/change-action.ts.
 */
export type ChangeAction =
  | { readonly type: 'create' }
  | { readonly type: 'update' }
  /** `unknown`: a failure stored before failures said how (a report of schema version 1). */
  | { readonly type: 'adopt'; readonly by: AdoptedBy | 'unknown' }
  /** A person back in scope: markers, fields and groups restored; the user stays disabled. */
  | { readonly type: 'restore' }
  /**
   * `reason`: why (src/plan/disable-reason.ts), `unconfirmed` only in what a held run shows;
   * `leaveReason`: DingTalk's, for `left`.
   */
  | {
      readonly type: 'disable';
      readonly reason: PlannedDisableReason;
      readonly leaveReason?: string;
    }
  /** An account whose DingTalk userid went to another person: out of the managed set for good. */
  | { readonly type: 'retire' }
  /** Out of scope and already disabled: leaves the managed groups only. */
  | { readonly type: 'leaveGroups' }
  /** `name`: the group's name (the department's); `''` when an older report did not say. */
  | { readonly type: 'createGroup'; readonly deptId: number; readonly name: string }
  /** `name`: the new name. */
  | { readonly type: 'renameGroup'; readonly groupId: string; readonly name: string };

export type ChangeType = ChangeAction['type'];
