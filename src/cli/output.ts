/**
 * What a CLI command prints for its operator: results on stdout, progress and notes on stderr.
 * This is the command's answer, not a log: logs go through pino (src/process/logger.ts).
 */
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A command's `--json` answer. */
export function printJson(value: unknown): void {
  printLine(JSON.stringify(value, null, 2));
}

/** Progress and notes for the operator, kept off stdout so `--json` stays parseable. */
export function printNote(line: string): void {
  process.stderr.write(`${line}\n`);
}
