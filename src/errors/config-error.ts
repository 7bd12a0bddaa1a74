import type { Locale } from '../i18n/catalog.js';
import type { Coded } from '../i18n/coded.js';

/** One problem of the config file: where (a YAML path, '' for the whole file) and a stable code. */
export interface ConfigProblem extends Coded {
  readonly path: string;
}

/**
 * Invalid configuration: every problem, each with its path and a stable code. Exit code 2. The
 * CLI words the problems in the operator's language; the message and `problems` are English,
 * for logs. Made by `configError` (config/problems.ts), which words the English lines.
 */
export class ConfigError extends Error {
  constructor(
    readonly issues: readonly ConfigProblem[],
    readonly file: string,
    /** Each problem as an English line, `path: problem`. */
    readonly problems: readonly string[],
    /** The file's `locale`, when it could be read: the language its problems are shown in. */
    readonly locale?: Locale,
  ) {
    super(`invalid config ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
