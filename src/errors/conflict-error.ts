import type { Translate } from '../i18n/catalog.js';

/** A request that conflicts with the run's state (approving a run no longer held): 409. */
export class ConflictError extends Error {
  constructor(
    readonly runId: string,
    /** Why, worded by the handler's translator: the run's state now. */
    readonly why: (t: Translate) => string,
  ) {
    super(`run ${runId} is not awaiting approval`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
