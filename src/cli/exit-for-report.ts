import { ExitCode } from '../infra/exit-codes.js';
import type { RunStatus } from '../report/types.js';

/** `--wait` exit codes: 0 succeeded, 1 failed, 3 succeeded with errors, 4 held. */
export function exitCodeForStatus(status: RunStatus): ExitCode {
  switch (status) {
    case 'succeeded':
      return ExitCode.Ok;
    case 'succeeded_with_errors':
      return ExitCode.SucceededWithErrors;
    case 'held':
      return ExitCode.Held;
    case 'failed':
    case 'rejected':
    case 'superseded':
      return ExitCode.Failed;
  }
}
