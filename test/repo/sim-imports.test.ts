import { sep } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/cli.js';
import { fileImports, folderOf } from '../helpers/import-graph.js';

/** The one module under src/ that may reach the test tools: it loads them lazily, or not at all. */
const GATE = ['src', 'cli', 'load-simulators.ts'].join(sep);

describe('the runtime reaches the test tools in one place only', () => {
  it('no module under src/ imports sim/ except src/cli/load-simulators.ts', () => {
    const intoSim = fileImports(ROOT, ['src']).filter((i) => folderOf(i.target) === 'sim');
    // the gate itself does reach sim/ (else this test would look at nothing)
    expect(intoSim.some((i) => i.file === GATE)).toBe(true);
    expect(intoSim.filter((i) => i.file !== GATE).map((i) => `${i.file} imports ${i.specifier}`)).toEqual([]);
  });
});
