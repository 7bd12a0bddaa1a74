import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DTSYNC = fileURLToPath(new URL('../../bin/dtsync.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real `dtsync` binary in its own process, with its output collected until it exits. */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cwd = ROOT,
): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [DTSYNC, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

/** Runs the real `dtsync` binary in its own process. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<CliResult> {
  return spawnCli(args, env, cwd).result;
}
