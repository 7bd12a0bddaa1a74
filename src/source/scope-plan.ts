import { createHash } from 'node:crypto';
import type { Scope } from '../config/schema.js';
import { DingTalkError } from '../errors/dingtalk-error.js';
import type { AuthScopes } from '../dingtalk/types.js';

export interface WalkPlan {
  /** Scope roots, in config order, deduplicated. */
  readonly roots: readonly number[];
  /** Walk below the roots (listsub), or take the roots alone. */
  readonly descend: boolean;
  /** Users authorised one by one (`authed_user`), fetched with `v2/user/get`. */
  readonly authedUsers: readonly string[];
}

const ROOT_DEPT = 1;

/**
 * Where the walk starts. Whole scope: the root 1 when it is authorised, else the authorised
 * departments (listsub(1) under a partial scope is unconfirmed, so it is never asked) plus the
 * users authorised one by one. Configured departments narrow it: they are the roots, and users
 * outside them are out of scope even when authorised one by one.
 */
export function planWalk(scope: Scope, auth: AuthScopes): WalkPlan {
  if (scope.mode === 'departments') {
    return { roots: unique(scope.departmentIds), descend: scope.includeSubDepartments, authedUsers: [] };
  }
  const authed = unique(auth.authedDepartments.filter((id) => id >= 1));
  const roots = authed.includes(ROOT_DEPT) ? [ROOT_DEPT] : authed;
  const authedUsers = unique(auth.authedUsers);
  if (roots.length === 0 && authedUsers.length === 0) {
    // An app that may read nobody is a configuration problem, never "the org is empty".
    throw new DingTalkError(
      'the DingTalk app is authorised for no department and no user (auth/scopes): set its contact scope (权限范围) in the developer console',
      { kind: 'scope', path: '/auth/scopes', code: 'empty_scope', permanent: true, retryable: false },
    );
  }
  return { roots, descend: true, authedUsers };
}

/**
 * A stable digest of the configured scope and the app's authorised departments and users, so a
 * change of either is seen as a new scope rather than as people leaving.
 */
export function scopeKeyOf(appKey: string, scope: Scope, auth: AuthScopes): string {
  const configured =
    scope.mode === 'all'
      ? { mode: 'all' }
      : {
          mode: 'departments',
          departmentIds: [...unique(scope.departmentIds)].sort((a, b) => a - b),
          includeSubDepartments: scope.includeSubDepartments,
        };
  const canonical = JSON.stringify({
    v: 1,
    appKey,
    scope: configured,
    authedDept: [...unique(auth.authedDepartments)].sort((a, b) => a - b),
    authedUser: [...unique(auth.authedUsers)].sort(),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
