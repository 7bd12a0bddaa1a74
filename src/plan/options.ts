import type { Profile } from '../config/schema.js';
import type { PlanOptions } from './types.js';

/** The profile's switches plan() reads, at the run's start time (written into disable records). */
export function planOptions(profile: Profile, now: Date): PlanOptions {
  const s = profile.sync;
  return {
    profileId: profile.id,
    syncPhone: s.syncPhone,
    syncEmail: s.syncEmail,
    emailField: s.emailField,
    dingIdentity: s.dingIdentity,
    adoptExisting: s.adoptExisting,
    now: now.toISOString(),
  };
}
