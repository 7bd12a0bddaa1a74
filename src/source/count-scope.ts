import type { Scope } from '../config/schema.js';
import { buildSourceSnapshot, type BuildSnapshotOptions } from './build-snapshot.js';
import type { ContactsSource } from './contacts-source.js';

export interface ScopeCount {
  readonly departments: number;
  readonly users: number;
}

/** Departments and employees in the configured scope, for `dtsync check`: the real walk, counted. */
export async function countScope(
  source: ContactsSource,
  scope: Scope,
  opts: BuildSnapshotOptions = {},
): Promise<ScopeCount> {
  const snapshot = await buildSourceSnapshot(source, scope, opts);
  return { departments: snapshot.departments.size, users: snapshot.users.size };
}
