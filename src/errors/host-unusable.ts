/** Why the console cannot listen on a host at all (an address this machine does not have). */
export class HostUnusable extends Error {
  constructor(
    readonly host: string,
    readonly code: string,
  ) {
    super(`cannot listen on ${host} (${code})`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
