import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/program.js';
import { ROOT } from '../helpers/cli.js';

interface Compose {
  services: Record<string, { command?: string[]; image?: string; build?: string }>;
}

// docker-compose's own validation (`config -q`) runs in .ci/run, where it is installed.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;

  it('runs Redis with AOF on and noeviction (BullMQ requires it)', () => {
    const cmd = compose.services.redis?.command ?? [];
    expect(cmd.join(' ')).toContain('--appendonly yes');
    expect(cmd.join(' ')).toContain('--maxmemory-policy noeviction');
  });

  it('runs each role with a dtsync command that exists', async () => {
    const commands = (await buildProgram()).commands.map((c) => c.name());
    for (const name of ['scheduler', 'worker', 'web']) {
      const svc = compose.services[name];
      expect(svc?.build).toBe('.');
      expect(commands).toContain(svc?.command?.[0]);
    }
  });
});
