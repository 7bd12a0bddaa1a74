import type { Profile } from '../config/schema.js';
import type { Logger } from '../process/logger.js';
import { unpaced, type Pacer } from '../pacing/pacer.js';
import { createPdsClient, type PdsCredentialsReport } from './client.js';

/**
 * The PDS half of `dtsync check`: one token request. It proves the key file, the clientId and
 * the registered public key together, and reports the token's `role` and `domain_id`. A single
 * call cannot reach the domain's QPS, so it is not paced unless a pacer is given.
 */
export function checkPdsCredentials(
  settings: Profile['pds'],
  log: Logger,
  options: { pacer?: Pacer; signal?: AbortSignal } = {},
): Promise<PdsCredentialsReport> {
  const client = createPdsClient({
    settings,
    log,
    pacer: options.pacer ?? unpaced,
    retry: { maxAttempts: 2 },
  });
  return client.checkCredentials(options.signal);
}
