import { CliError, ExitCode } from '../infra/exit-codes.js';

/**
 * The simulators are test tools, left out of the runtime image: `simulate` and `demo` load
 * them only when they run, and say in one line when they are not there.
 */
export async function loadSimulators() {
  return withSimulators(async () => {
    const [dingtalk, pds] = await Promise.all([
      import('../simulators/dingtalk/cli.js'),
      import('../simulators/pds/cli.js'),
    ]);
    return { ...dingtalk, ...pds };
  });
}

/** Loads a module that needs the simulators, or says in one line that the image has none. */
export async function withSimulators<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new CliError('the simulators are not in this image: use the demo target', ExitCode.Usage);
    throw err;
  }
}
