import { inspect } from 'node:util';

const MASK = '***';

/**
 * A configuration secret (appSecret, private key, web password). It prints, logs and
 * serialises as `***` everywhere, so a config object can be logged or put in an error
 * without leaking; only `reveal()` hands out the value, at the point of use.
 */
export class Secret {
  readonly #value: string | undefined;
  /** The environment variable it came from, if any: named in "not set" errors. */
  readonly envVar: string | undefined;

  private constructor(value: string | undefined, envVar: string | undefined) {
    this.#value = value;
    this.envVar = envVar;
  }

  static of(value: string, envVar?: string): Secret {
    return new Secret(value, envVar);
  }

  /** A secret whose variable is unset; fine until a command that needs it reveals it. */
  static unset(envVar: string): Secret {
    return new Secret(undefined, envVar);
  }

  get isSet(): boolean {
    return this.#value !== undefined;
  }

  reveal(): string {
    if (this.#value === undefined) {
      throw new Error(`environment variable ${this.envVar ?? '?'} is not set`);
    }
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}
