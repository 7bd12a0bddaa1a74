import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const DTSYNC = fileURLToPath(new URL('../bin/dtsync.js', import.meta.url));

/** Peak resident set (VmHWM) of a live process, in MB; 0 once it is gone. */
export function peakRssMB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? 0 : Math.round(Number(m[1]) / 1024);
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a live process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0;
  }
}

/** Resets a process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0), so a phase measures its own peak. */
export function resetPeakRss(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the peak then covers the process's whole life
  }
}

/**
 * Scheduling priority the bench asks for the DingTalk simulator. It stands in for a remote
 * service whose counters see each request as it arrives; sharing two cores with a saturated
 * worker and the PDS simulator, it was at times not scheduled for tens of milliseconds and then
 * read (and counted) a backlog at once. A packet capture of one 100,000-user run counted at
 * most 197 calls a second on the wire while the simulator counted up to 198, and traces of
 * other runs showed 12 of a busiest second's 205 sent before that second began.
 */
export const SIMULATOR_NICE = -10;

/**
 * Gives the DingTalk simulator a higher scheduling priority (needs root or CAP_SYS_NICE) and
 * says which it got; without it the simulator's busiest-second counts may include requests read
 * late, which is reported, not hidden.
 */
export function favourSimulator(pid: number | undefined, log: (s: string) => void): boolean {
  try {
    if (pid === undefined) throw new Error('no pid');
    setPriority(pid, SIMULATOR_NICE);
    log(`DingTalk simulator runs at nice ${SIMULATOR_NICE}, so it reads requests as they arrive`);
    return true;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    log(
      `could not raise the DingTalk simulator's priority (${typeof code === 'string' ? code : 'no process'}): ` +
        'its busiest-second counts may include requests it read late',
    );
    return false;
  }
}

/** The dtsync children still alive, so a signal to the bench stops them too. */
const live = new Set<ChildProcess>();

let stopping: Promise<void> | undefined;

/**
 * Set once a signal stops the bench: the main flow, failing because its children are gone,
 * awaits it (it ends in `process.exit` with the signal's code) instead of exiting with its own.
 */
export function stoppingBySignal(): Promise<void> | undefined {
  return stopping;
}

/** Their pids, for the log: an operator can see what the bench started. */
export function childPids(): number[] {
  return [...live].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
}

/**
 * On SIGTERM or SIGINT, stops every dtsync child (SIGTERM, then SIGKILL after `graceMs`), then
 * runs `last` (the private Redis) and exits. A plain SIGTERM would otherwise kill the bench
 * alone and leave its workers, simulators and Redis running (Ctrl-C reaches the whole process
 * group, `kill <pid>` does not).
 */
export function stopChildrenOnSignal(
  log: (s: string) => void,
  last: () => Promise<void>,
  graceMs = 10_000,
): void {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    process.once(signal, () => {
      if (stopping !== undefined) return;
      log(`${signal}: stopping ${live.size} child process(es)`);
      const exits = [...live].map((c) => new Promise((r) => c.once('exit', r)));
      for (const c of live) c.kill('SIGTERM');
      const force = setTimeout(() => {
        for (const c of live) c.kill('SIGKILL');
      }, graceMs);
      stopping = Promise.all(exits)
        .then(() => {
          clearTimeout(force);
          return last();
        })
        .finally(() => process.exit(code));
    });
  }
}

export interface Proc {
  readonly child: ChildProcess;
  /** stderr so far (the last 20 kB), for error messages. */
  stderr(): string;
  /** Peak RSS now, then SIGTERM and wait for the exit. */
  stop(): Promise<number>;
}

/**
 * The V8 flags the Dockerfile gives every role (the heap cap in NODE_OPTIONS, the initial old
 * space on the node command line), so the benchmark's workers run as deployed: with the default
 * cap (a quarter of RAM) V8 lets garbage pile up to several hundred MB before it collects,
 * though a sync's live heap is far smaller; with the default initial old space it collects
 * the growing snapshots every few hundred ms.
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=384', '--initial-old-space-size=192'] as const;

/** Runs `dtsync <args>` in its own process. `readyLine` resolves when stdout or stderr matches. */
export function dtsync(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
  nodeFlags: readonly string[] = [],
): { proc: Proc; ready: Promise<string> } {
  return nodeProcess([...nodeFlags, DTSYNC], args, env, readyLine);
}

/** Runs `node <entry…> <args>` (a bench tool under tsx, or dtsync) as `dtsync` does. */
export function nodeProcess(
  entry: readonly string[],
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
): { proc: Proc; ready: Promise<string> } {
  const child = spawn(process.execPath, [...entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let err = '';
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    let found = false;
    // whole lines only: a long ready line (a thousand domains) arrives in several chunks
    const complete = (s: string) => s.split('\n').slice(0, -1);
    const check = () => {
      const line = [...complete(out), ...complete(err)].find((l) => readyLine.test(l));
      if (line === undefined) return;
      found = true;
      out = '';
      resolve(line);
    };
    child.stdout.on('data', (d: Buffer) => {
      if (found) return;
      out += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-20_000);
      check();
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `${entry.at(-1) ?? ''} ${args[0] ?? ''} exited (${String(code)}) before it was ready: ${err.slice(-2000)}`,
        ),
      ),
    );
  });
  const proc: Proc = {
    child,
    stderr: () => err,
    async stop() {
      const rss = peakRssMB(child.pid);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      return rss;
    },
  };
  return { proc, ready };
}
