import type { Scope } from '../config/schema.js';
import { DingTalkError } from '../errors/dingtalk-error.js';
import type { AuthScopes, DingTalkUser } from '../dingtalk/types.js';
import { departmentName, personName } from './clean-name.js';
import type { ContactsSource } from './contacts-source.js';
import { planWalk, scopeKeyOf } from './scope-plan.js';
import type {
  FieldAccess,
  SourceDepartment,
  SourceFieldAccess,
  SourceSnapshot,
  SourceUser,
} from './snapshot.js';
import { runPool } from './work-pool.js';

export interface SnapshotProgress {
  /** Departments whose users are fully listed. */
  readonly departments: number;
  /** Distinct users seen so far. */
  readonly users: number;
}

export interface BuildSnapshotOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * Calls in flight per API (the shared pacer spaces them): discovery (listsub) and listing
   * (user/list) each get this many places, so neither waits behind the other. The pacer and the
   * cap on unanswered calls bound the rate whatever this is; more places only cover more latency
   * (24 carry 200 QPS through ~120 ms), at the cost of memory. Safe to change. @defaultValue 24
   */
  readonly concurrency?: number | undefined;
  readonly onProgress?: ((p: SnapshotProgress) => void) | undefined;
  /**
   * Each user as a department listing shows it, while the walk goes on (`deptIds` is still
   * growing). For reads that may start before the snapshot is complete; nothing may be written
   * from it.
   */
  readonly onUser?: SourceUserListener | undefined;
}

export type SourceUserListener = (user: SourceUser, listedIn: number, fields: SourceFieldAccess) => void;

type Task =
  | { readonly kind: 'root'; readonly id: number }
  | { readonly kind: 'children'; readonly id: number }
  | { readonly kind: 'users'; readonly id: number };

/** SourceUser while the walk merges departments into it. */
type UserDraft = Omit<SourceUser, 'deptIds'> & { deptIds: number[] };

/**
 * Walks the scope breadth-first, departments concurrently, and returns the whole scope or
 * throws; every failed call (after the client's own retries) fails the snapshot, so no write is
 * ever planned from a partial picture. Calls: auth/scopes, one department/get per root, one
 * listsub per department (when descending), Σ⌈users/100⌉ user/list (≥ 1 per department), one
 * user/get per individually authorised user not already seen. Nothing per user besides.
 * Names are cleaned here, once (clean-name.ts): everything downstream sees them as PDS will.
 */
export async function buildSourceSnapshot(
  source: ContactsSource,
  scope: Scope,
  opts: BuildSnapshotOptions = {},
): Promise<SourceSnapshot> {
  const { signal, onProgress, onUser } = opts;
  const concurrency = opts.concurrency ?? 24;
  const auth = await source.authScopes(signal);
  const plan = planWalk(scope, auth);
  const fields = fieldAccessOf(auth);

  const departments = new Map<number, SourceDepartment>();
  // Every department ever queued, so one reached twice (overlapping roots) is walked once.
  const seen = new Set<number>(plan.roots);
  const users = new Map<string, UserDraft>();
  let listedDepartments = 0;

  const mergeUser = (u: DingTalkUser, listedIn: number | undefined): UserDraft => {
    const draft = users.get(u.userid) ?? toDraft(u, fields);
    if (!users.has(u.userid)) users.set(u.userid, draft);
    // The listed department counts even if dept_id_list is absent (it is optional).
    for (const id of listedIn === undefined
      ? (u.dept_id_list ?? [])
      : [listedIn, ...(u.dept_id_list ?? [])]) {
      if (!draft.deptIds.includes(id)) draft.deptIds.push(id);
    }
    return draft;
  };

  const initial: Task[] = plan.roots.flatMap((id): Task[] =>
    plan.descend
      ? [
          { kind: 'root', id },
          { kind: 'children', id },
          { kind: 'users', id },
        ]
      : [
          { kind: 'root', id },
          { kind: 'users', id },
        ],
  );

  await runPool<Task>(
    initial,
    { laneOf: (t) => t.kind, limits: { root: concurrency, children: concurrency, users: concurrency } },
    async (task, add, taskSignal) => {
      switch (task.kind) {
        case 'root': {
          const d = await source.getDepartment(task.id, taskSignal);
          departments.set(task.id, {
            id: task.id,
            name: departmentName(d.name, task.id),
            parentId: undefined,
          });
          return;
        }
        case 'children': {
          for (const child of await source.listSubDepartments(task.id, taskSignal)) {
            // -7 is the home-school tree: it breaks the contacts APIs.
            if (child.dept_id < 1 || seen.has(child.dept_id)) continue;
            seen.add(child.dept_id);
            departments.set(child.dept_id, {
              id: child.dept_id,
              name: departmentName(child.name, child.dept_id),
              parentId: task.id,
            });
            add({ kind: 'children', id: child.dept_id });
            add({ kind: 'users', id: child.dept_id });
          }
          return;
        }
        case 'users': {
          for await (const page of source.listUsers(task.id, taskSignal)) {
            for (const u of page) {
              const user = mergeUser(u, task.id);
              onUser?.(user, task.id, fields);
            }
          }
          listedDepartments++;
          onProgress?.({ departments: listedDepartments, users: users.size });
          return;
        }
      }
    },
    signal,
  );

  const individually = plan.authedUsers.filter((id) => !users.has(id));
  await runPool<string>(
    individually,
    concurrency,
    async (userid, _add, taskSignal) => {
      try {
        mergeUser(await source.getUser(userid, taskSignal), undefined);
      } catch (err) {
        // 60121: the user resigned since the scope was granted; they are simply not in the org.
        if (err instanceof DingTalkError && err.code === '60121') return;
        throw err;
      }
    },
    signal,
  );

  for (const draft of users.values()) {
    draft.deptIds = draft.deptIds.filter((id) => departments.has(id)).sort((a, b) => a - b);
  }
  return {
    roots: plan.roots,
    departments,
    users: users,
    fields,
    scopeKey: scopeKeyOf(source.appKey, scope, auth),
  };
}

function fieldAccessOf(auth: AuthScopes): SourceFieldAccess {
  const access = (field: string): FieldAccess =>
    auth.userFields.includes(field) ? 'authorised' : 'not_authorised';
  return { mobile: access('mobile'), email: access('email'), orgEmail: access('org_email') };
}

function toDraft(u: DingTalkUser, fields: SourceFieldAccess): UserDraft {
  const phone = fields.mobile === 'authorised';
  return {
    userid: u.userid,
    unionid: present(u.unionid),
    name: personName(u.name, u.userid),
    mobile: phone ? present(u.mobile) : undefined,
    stateCode: phone ? present(u.state_code) : undefined,
    email: fields.email === 'authorised' ? present(u.email) : undefined,
    orgEmail: fields.orgEmail === 'authorised' ? present(u.org_email) : undefined,
    deptIds: [],
  };
}

/** DingTalk drops empty fields; an empty string would mean the same, so read it as absent. */
function present(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
