import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { WORKER_NODE_FLAGS } from '../../bench/procs.js';

const dockerfile = readFileSync(join(import.meta.dirname, '..', '..', 'Dockerfile'), 'utf8');

/** The V8 flags a deployed process gets: NODE_OPTIONS, then the entrypoint's node flags. */
function imageNodeFlags(): string[] {
  const env = /^ENV NODE_OPTIONS=(.+)$/m.exec(dockerfile)?.[1]?.trim().split(/\s+/) ?? [];
  const entry = /^ENTRYPOINT (\[.+\])$/m.exec(dockerfile)?.[1];
  const argv = entry === undefined ? [] : (JSON.parse(entry) as string[]);
  return [...env, ...argv.filter((a) => a.startsWith('--'))];
}

describe('the benchmark workers', () => {
  it('run with the V8 flags the image gives a deployed worker', () => {
    expect([...WORKER_NODE_FLAGS].sort()).toEqual(imageNodeFlags().sort());
    expect(WORKER_NODE_FLAGS).toContain('--max-old-space-size=384');
  });
});
