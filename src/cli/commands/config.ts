import type { Translate } from '../../i18n/catalog.js';
import { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import { loadFor, withConfigOption } from '../context.js';
import { configProblemLine } from '../../config/problems.js';
import { checkKeyFiles } from '../key-files.js';
import { cliLang } from '../lang.js';
import { printJson, printNote } from '../output.js';

function describe(config: Config): object {
  return {
    redis: { prefix: config.redis.prefix },
    profiles: config.profiles.map((p) => ({
      id: p.id,
      dingtalk: p.dingtalk,
      pds: p.pds,
      sync: p.sync,
    })),
  };
}

/** `dtsync config validate`: prints the profiles with secrets masked (exit 0) or every error (exit 2). */
export function configCommand(t: Translate): Command {
  const config = new Command('config').description(t('help.config'));
  withConfigOption(config.command('validate').description(t('help.config.validate')), t).action(
    async (_opts, cmd: Command) => {
      const loaded = loadFor(cmd);
      const { t } = cliLang(cmd, loaded.config);
      await checkKeyFiles(loaded);
      for (const note of loaded.notes)
        printNote(t('cli.config.note', { problem: configProblemLine(note, t) }));
      printJson(describe(loaded.config));
      printNote(t('cli.config.valid', { file: loaded.file, n: loaded.config.profiles.length }));
    },
  );
  return config;
}
