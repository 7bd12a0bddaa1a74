import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { getPriority } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { favourSimulator, SIMULATOR_NICE } from '../../bench/procs.js';

describe('the DingTalk simulator’s scheduling priority', () => {
  it('is raised when the bench may, and the log says which it got', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    try {
      const lines: string[] = [];
      const raised = favourSimulator(child.pid, (s) => lines.push(s));
      expect(lines).toHaveLength(1);
      if (raised) {
        expect(getPriority(child.pid)).toBe(SIMULATOR_NICE);
        expect(lines[0]).toContain(`nice ${SIMULATOR_NICE}`);
      } else {
        // not root: the run goes on, and says its counts may include late reads
        expect(getPriority(child.pid)).toBe(getPriority());
        expect(lines[0]).toContain('may include requests it read late');
      }
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });

  it('a simulator that never started is reported, not thrown', () => {
    const lines: string[] = [];
    expect(favourSimulator(undefined, (s) => lines.push(s))).toBe(false);
    expect(lines[0]).toContain('could not raise');
  });
});
