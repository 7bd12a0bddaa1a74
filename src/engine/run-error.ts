import { RemoteError } from '../infra/remote-error.js';

/** A run's failure for the report and the job: the remote code and a message with no secret. */
export function failureOf(err: unknown): { code: string; message: string; permanent: boolean } {
  if (err instanceof RemoteError) {
    return { code: `${err.service}:${err.code}`, message: err.message, permanent: err.permanent };
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.message === 'This operation was aborted')) {
    return { code: 'aborted', message: 'the run was cancelled', permanent: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  const permanent = err instanceof Error && (err as { permanent?: unknown }).permanent === true;
  return { code: err instanceof Error ? err.name : 'Error', message, permanent };
}
