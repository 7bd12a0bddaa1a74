import { DingTalkError } from '../errors/dingtalk-error.js';
import { RemoteError } from '../errors/remote-error.js';
import { LocalCode } from '../errors/pds-error.js';
import type { RunError } from '../report/types.js';

/** DingTalk or PDS could not be reached at all (no answer), as opposed to answering with an error. */
function unreachable(err: RemoteError): boolean {
  return err instanceof DingTalkError ? err.kind === 'network' : err.code === LocalCode.Network;
}

/** A run's failure for the report and the job: the remote code and a message with no secret. */
export function failureOf(err: unknown): RunError {
  if (err instanceof RemoteError) {
    return {
      code: `${err.service}:${err.code}`,
      message: err.message,
      permanent: err.permanent,
      ...(unreachable(err) ? { unreachable: err.service } : {}),
    };
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.message === 'This operation was aborted')) {
    return { code: 'aborted', message: 'the run was cancelled', permanent: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  const permanent = err instanceof Error && (err as { permanent?: unknown }).permanent === true;
  return { code: err instanceof Error ? err.name : 'Error', message, permanent };
}
