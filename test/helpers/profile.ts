import { configSchema, type Config, type Profile } from '../../src/config/schema.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * A validated Config built from raw (pre-schema) values, exactly as if read from YAML:
 * defaults applied, secrets wrapped. `profiles` entries are merged over a minimal profile.
 */
export function buildConfig(raw: { profiles: Record<string, unknown>[] } & Record<string, unknown>): Config {
  return configSchema.parse(raw);
}

export interface ProfileInput {
  id?: string;
  dingtalk?: Record<string, unknown>;
  pds?: Record<string, unknown>;
  sync?: Record<string, unknown>;
}

/** One profile with test defaults; pass simulator URLs and credentials in `dingtalk`/`pds`. */
export function buildProfile(input: ProfileInput = {}): Profile {
  const config = buildConfig({
    profiles: [
      {
        id: input.id ?? 'test',
        dingtalk: { appKey: 'ding-test-key', appSecret: 'ding-test-secret', ...input.dingtalk },
        pds: { domainId: 'sim1', clientId: 'test-client', privateKey: 'unused', ...input.pds },
        sync: { ...input.sync },
      },
    ],
  });
  const profile = config.profiles[0];
  if (profile === undefined) throw new Error('no profile');
  return profile;
}

export type { DeepPartial };
