import type { FieldAccess } from '../source/snapshot.js';
import type { RunChange } from '../report/types.js';

/**
 * What the per-person index keeps (src/people/store.ts): one card per PDS user, as the last
 * complete run left them, and the changes the sync made to them. Phones and emails are masked,
 * as in reports; the last four digits a masked phone shows are all a search by phone needs.
 */

/** What DingTalk said about a person at the last complete run. */
export interface DingtalkView {
  readonly name: string;
  readonly departments: readonly { readonly id: number; readonly name: string }[];
  readonly mobile?: string | undefined;
  readonly email?: string | undefined;
  readonly orgEmail?: string | undefined;
  /** Which fields the DingTalk app may read at all. */
  readonly access: {
    readonly mobile: FieldAccess;
    readonly email: FieldAccess;
    readonly orgEmail: FieldAccess;
  };
}

/** A login link of the account (`identity` masked when it is a phone). */
export interface LinkView {
  readonly type: string;
  readonly identity: string;
}

/** The PDS account after the run: status, groups, links, and the sync's disable record. */
export interface AccountView {
  /** False when the account was planned and its creation failed. */
  readonly exists: boolean;
  readonly status?: 'enabled' | 'disabled' | undefined;
  readonly nickName?: string | undefined;
  readonly groups: readonly string[];
  /** Absent when no run has read this account's links. */
  readonly links?: readonly LinkView[] | undefined;
  /** `sync` when the sync disabled it; anything else is an admin's record. */
  readonly disabledBy?: string | undefined;
  readonly disabledAt?: string | undefined;
  /** A stable code (`out_of_scope`), worded by readers. */
  readonly disabledReason?: string | undefined;
}

export interface PersonCard {
  readonly pdsUserId: string;
  /** The DingTalk userid the account stands for. */
  readonly userid: string;
  readonly name: string;
  /** The complete run that wrote this card. */
  readonly runId: string;
  readonly at: string;
  /** Absent: the person was not in the sync's scope at that run. */
  readonly dingtalk?: DingtalkView | undefined;
  readonly pds: AccountView;
}

/** One change (or failed change) the sync made to a person, in a kept run. */
export type PersonEvent = Pick<RunChange, 'action' | 'fields' | 'failure'> & {
  readonly runId: string;
  /** When the run started (ISO). */
  readonly at: string;
};

/** A DingTalk department as the last complete run saw it. */
export interface DepartmentRow {
  readonly id: number;
  readonly name: string;
  readonly parentId?: number | undefined;
  /** People directly in it. */
  readonly members: number;
  readonly inScope: boolean;
}

export interface DepartmentTree {
  readonly runId: string;
  readonly at: string;
  readonly roots: readonly number[];
  readonly departments: readonly DepartmentRow[];
}

/** A person page: the card, the kept runs' changes (newest first), and the re-entry wait. */
export interface PersonPage {
  readonly profileId: string;
  readonly card: PersonCard;
  readonly events: readonly PersonEvent[];
  /** Since when the person waits in the re-entry list (disabled, back in scope), if they do. */
  readonly reentrySince?: string | undefined;
}

/** One search hit. */
export interface PersonHit {
  readonly profileId: string;
  readonly pdsUserId: string;
  readonly userid: string;
  readonly name: string;
  readonly departments: readonly string[];
  readonly status?: 'enabled' | 'disabled' | undefined;
}
