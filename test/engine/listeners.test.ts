import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/cli.js';
import { testRedisUrl } from '../helpers/redis.js';

interface Outcome {
  readonly status: string;
  readonly created: number;
  readonly applyInFlight: number;
  readonly warnings: readonly string[];
  readonly stderr: string;
}

/** The fixture's run, in a process of its own (jest's sandbox never sees process warnings). */
function runFixture(): Promise<Outcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/many-in-flight-run.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: testRedisUrl() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`the run exited ${String(code)}: ${err}`));
      else resolve({ ...(JSON.parse(out.trim()) as Outcome), stderr: err });
    });
  });
}

describe('listeners on a run’s signals stay bounded', () => {
  it('a run with many requests in flight prints no MaxListenersExceededWarning', async () => {
    const r = await runFixture();
    expect(r.status).toBe('succeeded');
    // far more calls in flight than Node's default of 10 listeners a signal
    expect(r.applyInFlight).toBeGreaterThan(100);
    expect(r.created).toBeGreaterThanOrEqual(1500);
    expect(r.warnings).toEqual([]);
    expect(r.stderr).not.toContain('MaxListenersExceededWarning');
  }, 180_000);
});
