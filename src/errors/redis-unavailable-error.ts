/** Redis does not answer a web request: 503, try again later. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is unreachable; try again later');
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
