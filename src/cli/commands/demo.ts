import type { Translate } from '../../i18n/catalog.js';
import { Command } from 'commander';
import { intArg, ipArg } from '../arg-parsers.js';
import { readEnv } from '../../config/env.js';
import { HostUnusable } from '../../errors/host-unusable.js';
import { consolePort } from '../demo/port.js';
import { ExitCode } from '../../errors/exit-code.js';
import { cliError, cliLang } from '../lang.js';
import { loadDemoWorld } from '../load-simulators.js';
import { printLine, printNote } from '../output.js';

/** DingTalk's and PDS's real limits, and the demo's (high enough for a first sync well under a minute). */
const REAL_LIMITS = { dingtalkQps: 20, pdsQps: 100 } as const;
const DEMO_LIMITS = { dingtalkQps: 200, pdsQps: 1000 } as const;
const DEFAULT_PORT = 8080;

interface Flags {
  once?: boolean;
  realLimits?: boolean;
  users: number;
  departments: number;
  seed: number;
  host: string;
  port?: number;
  changeEvery: number;
}

/** `dtsync demo`: the whole service on a simulated org, on this machine, with nothing else installed. */
export function demoCommand(t: Translate): Command {
  return new Command('demo')
    .description(t('help.demo'))
    .option('--once', t('help.demo.once'))
    .option('--real-limits', t('help.demo.realLimits'))
    .option('--users <n>', t('help.demo.users'), intArg(t, 1, 100_000), 2400)
    .option('--departments <n>', t('help.demo.departments'), intArg(t, 1, 5000), 140)
    .option('--seed <n>', t('help.demo.seed'), intArg(t, 0, 2 ** 31 - 1), 1)
    .option('--host <addr>', t('help.demo.host'), ipArg(t), '127.0.0.1')
    .option('--port <n>', t('help.demo.port', { port: DEFAULT_PORT }), intArg(t, 1, 65535))
    .option('--change-every <seconds>', t('help.demo.changeEvery'), intArg(t, 1, 86_400), 180)
    .action(async (flags: Flags, cmd: Command) => {
      const lang = cliLang(cmd, undefined);
      // an image without the simulators says so alone, before any word about the console's port
      const kit = await loadDemoWorld(lang);
      const { runDemo } = await import('../demo/run-demo.js');
      const port = await consolePort(flags.port ?? DEFAULT_PORT, flags.port !== undefined, flags.host).catch(
        (err: unknown) => {
          if (!(err instanceof HostUnusable)) throw err;
          throw cliError(lang, ExitCode.Usage, 'host_unusable', 'demo.hostUnusable', {
            host: err.host,
            code: err.code,
          });
        },
      );
      if ('taken' in port)
        throw cliError(lang, ExitCode.Usage, 'port_taken', 'demo.portTaken', { port: port.taken });
      if (port.fellBack) printNote(lang.t('demo.portFallback', { wanted: DEFAULT_PORT, port: port.port }));
      const realLimits = flags.realLimits === true;
      process.exitCode = await runDemo({
        kit,
        users: flags.users,
        departments: flags.departments,
        seed: flags.seed,
        limits: realLimits ? REAL_LIMITS : DEMO_LIMITS,
        webHost: flags.host,
        webPort: port.port,
        portFallback: flags.port === undefined,
        allowInstall: !readEnv().DTSYNC_NO_INSTALL,
        once: flags.once === true,
        realLimits,
        changeEveryMs: flags.changeEvery * 1000,
        lang,
        out: printLine,
        note: printNote,
      });
    });
}
