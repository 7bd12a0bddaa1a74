import type { Secret } from '../config/secret.js';
import type { Config, Profile } from '../config/schema.js';

/** One DingTalk app whose events some profiles want: one Stream connection serves them all. */
export interface StreamApp {
  readonly appKey: string;
  readonly appSecret: Secret;
  /** Where the open call goes (the first such profile's `dingtalk.apiBaseUrl`). */
  readonly apiBaseUrl: string;
  /** The profiles with `events.enabled` on this app, in config order. */
  readonly profiles: readonly Profile[];
}

/**
 * The apps the events role connects to: those of the profiles with `events.enabled`, one per
 * appKey however many profiles share it (DingTalk's events are per app, not per profile).
 */
export function streamApps(config: Config): StreamApp[] {
  const apps = new Map<string, { first: Profile; profiles: Profile[] }>();
  for (const p of config.profiles) {
    if (!p.events.enabled) continue;
    const app = apps.get(p.dingtalk.appKey);
    if (app === undefined) apps.set(p.dingtalk.appKey, { first: p, profiles: [p] });
    else app.profiles.push(p);
  }
  return [...apps.values()].map(({ first, profiles }) => ({
    appKey: first.dingtalk.appKey,
    appSecret: first.dingtalk.appSecret,
    apiBaseUrl: first.dingtalk.apiBaseUrl,
    profiles,
  }));
}
