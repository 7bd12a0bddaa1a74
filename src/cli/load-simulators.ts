import { ExitCode } from '../infra/exit-codes.js';
import { cliError, type CliLang } from './lang.js';

/**
 * The simulators are test tools, left out of the runtime image: `simulate` and `demo` load
 * them only when they run, and say in one line when they are not there.
 */
export async function loadSimulators(lang: CliLang) {
  return withSimulators(lang, async () => {
    const [dingtalk, pds] = await Promise.all([
      import('../simulators/dingtalk/cli.js'),
      import('../simulators/pds/cli.js'),
    ]);
    return { ...dingtalk, ...pds };
  });
}

/** Loads a module that needs the simulators, or says in one line that the image has none. */
export async function withSimulators<T>(lang: CliLang, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw cliError(lang, ExitCode.Usage, 'no_simulators', 'cli.noSimulators');
    throw err;
  }
}
