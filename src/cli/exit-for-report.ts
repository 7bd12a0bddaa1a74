import { ExitCode } from '../errors/exit-code.js';
import type { RunReport } from '../report/types.js';

/**
 * `--wait` exit codes: 0 succeeded, 1 failed, 3 succeeded with errors, 4 held, 5 failed because
 * DingTalk or PDS could not be reached (after every attempt).
 */
export function exitCodeForReport(r: Pick<RunReport, 'status' | 'error'>): ExitCode {
  switch (r.status) {
    case 'succeeded':
      return ExitCode.Ok;
    case 'succeeded_with_errors':
      return ExitCode.SucceededWithErrors;
    case 'held':
      return ExitCode.Held;
    case 'failed':
      return r.error?.unreachable === undefined ? ExitCode.Failed : ExitCode.Unreachable;
    case 'rejected':
    case 'superseded':
      return ExitCode.Failed;
  }
}
