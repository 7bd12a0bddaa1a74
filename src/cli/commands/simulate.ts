import type { Translate } from '../../i18n/catalog.js';
import { Command } from 'commander';
import { intArg, positiveArg } from '../arg-parsers.js';
import { withConfigOption } from '../context.js';
import { cliLang } from '../lang.js';
import { loadSimulators, type SimulateOptions } from '../load-simulators.js';
import { printLine } from '../output.js';

interface Flags {
  dingtalk?: boolean;
  pds?: boolean;
  port?: number;
  pdsPort?: number;
  users: number;
  departments: number;
  depth?: number;
  seed: number;
  qps?: number;
  pdsQps?: number;
  domainId?: string;
  keyDir?: string;
  json?: boolean;
}

/** `dtsync simulate`: loopback simulators of DingTalk and/or PDS, until SIGINT/SIGTERM. */
export function simulateCommand(t: Translate): Command {
  return withConfigOption(new Command('simulate'), t)
    .description(t('help.simulate'))
    .option('--dingtalk', t('help.simulate.dingtalk'))
    .option('--pds', t('help.simulate.pds'))
    .option('--port <n>', t('help.simulate.port'), intArg(t, 0))
    .option('--pds-port <n>', t('help.simulate.pdsPort'), intArg(t, 0))
    .option('--users <n>', t('help.simulate.users'), intArg(t, 1), 200)
    .option('--departments <n>', t('help.simulate.departments'), intArg(t, 1), 20)
    .option('--depth <n>', t('help.simulate.depth'), intArg(t, 1))
    .option('--seed <n>', t('help.simulate.seed'), intArg(t, 0), 1)
    .option('--qps <n>', t('help.simulate.qps'), positiveArg(t))
    .option('--pds-qps <n>', t('help.simulate.pdsQps'), positiveArg(t))
    .option('--domain-id <id>', t('help.simulate.domainId'), 'sim1')
    .option('--key-dir <dir>', t('help.simulate.keyDir'))
    .option('--json', t('help.simulate.json'))
    .action(async (flags: Flags, cmd: Command) => {
      const both = flags.dingtalk !== true && flags.pds !== true;
      const opts: SimulateOptions = {
        dingtalkPort: flags.port,
        pdsPort: flags.pdsPort,
        users: flags.users,
        departments: flags.departments,
        depth: flags.depth,
        seed: flags.seed,
        dingtalkQps: flags.qps,
        pdsQps: flags.pdsQps,
        domainId: flags.domainId,
        keyDir: flags.keyDir,
      };
      const { startDingTalkSimulatorForCli, startPdsSimulatorForCli } = await loadSimulators(
        cliLang(cmd, undefined),
      );
      const dingtalk = both || flags.dingtalk === true ? await startDingTalkSimulatorForCli(opts) : undefined;
      const pds = both || flags.pds === true ? await startPdsSimulatorForCli(opts) : undefined;
      if (flags.json === true) {
        printLine(JSON.stringify({ dingtalk: dingtalk?.info, pds: pds?.info }));
      } else {
        if (dingtalk !== undefined) {
          const d = dingtalk.info;
          printLine(`DingTalk simulator: ${d.url}  appKey=${d.appKey}  appSecret=${d.appSecret}`);
          printLine(`  set dingtalk.oapiBaseUrl and dingtalk.apiBaseUrl to ${d.url}`);
        }
        if (pds !== undefined) {
          const p = pds.info;
          printLine(`PDS simulator: ${p.url}  domainId=${p.domainId}  clientId=${p.clientId}`);
          printLine(`  private key: ${p.privateKeyFile}`);
        }
        printLine('Ctrl-C stops.');
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await Promise.all([dingtalk?.close(), pds?.close()]);
    });
}
