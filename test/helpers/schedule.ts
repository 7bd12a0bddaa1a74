import type { Config, Profile } from '../../src/config/schema.js';
import { buildConfig, buildProfile } from './profile.js';

/** Raw schedule fields as they would appear in the YAML (`mode` defaults to auto here). */
export type RawSchedule = Record<string, unknown>;

/** One profile with the given schedule. */
export function scheduledProfile(schedule: RawSchedule, id = 'acme', enabled = true): Profile {
  return buildProfile({ id, sync: { enabled, schedule: { mode: 'auto', ...schedule } } });
}

/** A validated config of scheduled profiles, keyed by id. */
export function schedulerConfig(profiles: Record<string, RawSchedule>, catchUpHours = 6): Config {
  return buildConfig({
    scheduler: { catchUpHours },
    profiles: Object.entries(profiles).map(([id, schedule], i) => ({
      id,
      dingtalk: { appKey: `k-${id}`, appSecret: 's' },
      pds: { domainId: `sim${i}`, clientId: 'c', privateKey: 'unused' },
      sync: { schedule: { mode: 'auto', ...schedule } },
    })),
  });
}

/** The same config as YAML, for loadConfig, the child processes and the CLI. */
export function schedulerYaml(
  profiles: Record<string, RawSchedule>,
  options: { catchUpHours?: number; prefix?: string; redisUrl?: string } = {},
): string {
  const redis = {
    url: options.redisUrl ?? 'redis://127.0.0.1:6379',
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
  const doc = {
    redis,
    scheduler: { catchUpHours: options.catchUpHours ?? 6 },
    profiles: Object.entries(profiles).map(([id, schedule], i) => ({
      id,
      dingtalk: { appKey: `k-${id}`, appSecret: 's' },
      pds: { domainId: `sim${i}`, clientId: 'c', privateKey: 'unused' },
      sync: { schedule: { mode: 'auto', ...schedule } },
    })),
  };
  return JSON.stringify(doc, null, 2); // JSON is YAML
}
