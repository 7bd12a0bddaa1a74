import type { Locale } from '../i18n/catalog.js';
import type { ExitCode } from './exit-code.js';

/**
 * An error that ends a command with a given exit code and one clear line, worded by the thrower
 * in the operator's language, and a stable code for `--json`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code = 'error',
    /** The language of the message (its "error:" prefix is worded in it too). */
    readonly locale?: Locale,
  ) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
