import { PdsError } from './pds-error.js';

/**
 * A problem with the configured private key, found before any request: missing file, not PEM,
 * not RSA. Permanent. The message names the file (or "pds.privateKey"), never its content.
 */
export class PdsKeyError extends PdsError {}
