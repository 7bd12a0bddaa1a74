import { createHash } from 'node:crypto';
import type { Profile } from './schema.js';

/**
 * A short digest of what decides a profile's runs: its scope, sync and safety settings, the
 * DingTalk app and the PDS domain. Secrets (they serialise masked) and file paths (they differ
 * between machines) are left out. A job carries the enqueuer's; a worker whose own differs
 * has another version of the config and must not run the job with it.
 */
export function profileFingerprint(p: Profile): string {
  const canonical = JSON.stringify({
    id: p.id,
    dingtalk: {
      appKey: p.dingtalk.appKey,
      oapiBaseUrl: p.dingtalk.oapiBaseUrl,
      apiBaseUrl: p.dingtalk.apiBaseUrl,
      tokenApi: p.dingtalk.tokenApi,
    },
    pds: { domainId: p.pds.domainId, baseUrl: p.pds.baseUrl, clientId: p.pds.clientId },
    sync: p.sync,
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}
