/** How the stall signals a process: `process.kill` in the bench, a recorder in its test. */
export type SignalSender = (pid: number, signal: 'SIGSTOP' | 'SIGCONT') => void;

export interface Stall {
  /** Stops stalling and lets the process run again (idempotent). */
  stop(): void;
}

/**
 * How often the stall comes. Longer than a second plus the stall: with a stall in every second,
 * the second after a stall would also hold the next stall, when nothing is read, and the
 * backlog would never show in a one-second count.
 */
export const STALL_PERIOD_MS = 2000;

/**
 * `--stall-dingtalk MS`: stops the DingTalk simulator's process for MS every two seconds
 * (SIGSTOP, then SIGCONT) while the phases run. It then behaves as a remote that reads late:
 * every call sent to it meanwhile is read, and counted, at once when it runs again. This is
 * what the simulator did on its own, more rarely, when the two shared cores did not schedule
 * it; the option makes it happen often, so the busiest second shows how many calls the sync
 * lets pile up (README, Performance).
 */
export function stallPeriodically(
  pid: number | undefined,
  ms: number,
  send: SignalSender = (p, s) => process.kill(p, s),
): Stall {
  if (pid === undefined || ms <= 0) return { stop: () => undefined };
  const signal = (s: 'SIGSTOP' | 'SIGCONT') => {
    try {
      send(pid, s);
      return true;
    } catch {
      return false; // the process is gone: nothing left to stall
    }
  };
  let resume: NodeJS.Timeout | undefined;
  const cont = () => {
    resume = undefined;
    signal('SIGCONT');
  };
  const tick = setInterval(() => {
    if (signal('SIGSTOP')) resume = setTimeout(cont, ms);
  }, STALL_PERIOD_MS);
  return {
    stop: () => {
      clearInterval(tick);
      if (resume !== undefined) {
        clearTimeout(resume);
        cont();
      }
    },
  };
}
