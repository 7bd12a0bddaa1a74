import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, for `POST /_sim/gc`. A benchmark calls it between phases: dumping
 * a 100,000-user state leaves hundreds of MB of garbage, and a major GC that runs in the middle
 * of the next phase stalls the simulator, bunching the answers it owes into fewer seconds.
 * Exposing `gc` late is V8's documented flag, set only in the simulator processes.
 */
export function fullGc(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') (gc as () => void)();
}
