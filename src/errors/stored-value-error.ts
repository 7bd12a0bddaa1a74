/**
 * A value in Redis that is not what this service stores under its key: not JSON, or not the
 * shape it writes (another writer, a hand edit, a truncated value). Says which key and what is
 * wrong, never the value itself (it may name people).
 */
export class StoredValueError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`Redis key ${key} holds a bad value: ${problem}`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
