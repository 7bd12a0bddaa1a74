import type { Params } from '../i18n/catalog.js';
import { problem } from './problem.js';
import { ProblemError } from './problem-error.js';

/** A job the worker will not run as asked, with the stable code its failed report carries. */
export class JobRefusal extends ProblemError {
  constructor(
    readonly code: 'unknown_profile' | 'sync_disabled' | 'config_mismatch',
    params: Params,
    /** A profile this worker does not know or runs no sync for: retrying the job cannot help. */
    readonly permanent: boolean,
  ) {
    super(problem(code, params));
  }
}
