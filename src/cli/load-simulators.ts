import { existsSync } from 'node:fs';
import { ExitCode } from '../errors/exit-code.js';
import { cliError, type CliLang } from './lang.js';

/*
 * The one module under src/ that reaches the test tools in sim/ (test/repo/sim-imports.test.ts):
 * its imports of them are type-only or lazy, so every other command loads without sim/.
 */
export type { SimulateOptions } from '../../sim/cli-types.js';
export type {
  DingTalkSimControl,
  DingTalkSimulator,
  OrgChange,
  PdsSimulator,
  PrivateRedis,
  RobotMessage,
} from '../../sim/demo-world.js';

/** What the demo starts from the test tools (sim/demo-world.ts). */
export type DemoWorldKit = typeof import('../../sim/demo-world.js');

/**
 * The simulators (top-level `sim/`, compiled to `dist/sim/`) are test tools: the runtime image
 * leaves them out and the demo image adds them. Resolved from this file, so it finds `sim/` beside
 * `src/` when run from source and `dist/sim/` beside `dist/src/` when compiled.
 */
const SIM_DIR = new URL('../../sim/', import.meta.url);

/** Whether this install holds the simulators. */
export function simulatorsPresent(): boolean {
  return existsSync(SIM_DIR);
}

/** The simulators' CLI starters for `dtsync simulate`, or one line saying the image has none. */
export async function loadSimulators(lang: CliLang) {
  return withSimulators(lang, async () => {
    const [dingtalk, pds] = await Promise.all([
      import('../../sim/dingtalk/cli.js'),
      import('../../sim/pds/cli.js'),
    ]);
    return { ...dingtalk, ...pds };
  });
}

/** What `dtsync demo` starts (a private Redis, the simulators, a robot), or the one line. */
export function loadDemoWorld(lang: CliLang): Promise<DemoWorldKit> {
  return withSimulators(lang, () => import('../../sim/demo-world.js'));
}

/**
 * Loads what needs the simulators, or says in one line that the image has none. Checked before
 * the import, so a module missing for any other reason is not reported as missing simulators.
 */
async function withSimulators<T>(lang: CliLang, load: () => Promise<T>): Promise<T> {
  if (!simulatorsPresent()) throw cliError(lang, ExitCode.Usage, 'no_simulators', 'cli.noSimulators');
  return load();
}
