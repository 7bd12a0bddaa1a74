/** An unknown profile, run, check or person: 404, worded in the request's language. */
export class NotFoundError extends Error {
  constructor(
    readonly what: 'profile' | 'run' | 'check' | 'person',
    readonly id: string,
  ) {
    super(`unknown ${what} "${id}"`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
