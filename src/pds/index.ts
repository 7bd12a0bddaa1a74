/** The PDS client's public surface, for the sync engine and the CLI. */
export { PdsClient, type PdsClientOptions, type PdsCredentialsReport } from './client.js';
export { checkPdsCredentials } from './check.js';
export { REJECTED_HINT, type PdsTokenInfo } from './auth.js';
export {
  PdsError,
  LocalCode,
  isPdsError,
  isAlreadyExist,
  isNotFound,
  isQuotaExhausted,
  isThrottled,
} from '../errors/pds-error.js';
export { PdsKeyError } from '../errors/pds-key-error.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export type * from './types.js';
