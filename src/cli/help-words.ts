import type { Command, Help, Option } from 'commander';
import type { Translate } from '../i18n/catalog.js';
import type { MessageKey } from '../i18n/catalog.js';

/** commander's headings, as it passes them to `styleTitle`, and their catalog keys. */
const TITLES: Readonly<Record<string, MessageKey>> = {
  'Usage:': 'help.title.usage',
  'Arguments:': 'help.title.arguments',
  'Options:': 'help.title.options',
  'Global Options:': 'help.title.globalOptions',
  'Commands:': 'help.title.commands',
};

/**
 * commander's own words in the help (headings, the help option and command, "default:") from
 * the catalog, through its public hooks, on `cmd` and every command under it.
 */
export function localiseHelp(cmd: Command, t: Translate): void {
  cmd.configureHelp({
    styleTitle: (title: string) => {
      const key = TITLES[title];
      return key === undefined ? title : t(key);
    },
    // our options have defaults only (no choices, presets or env): commander words just that
    optionDescription: (o: Option) =>
      o.defaultValue === undefined || o.isBoolean()
        ? o.description
        : t('help.withDefault', {
            description: o.description,
            value: o.defaultValueDescription ?? JSON.stringify(o.defaultValue),
          }),
  } satisfies Partial<Help>);
  cmd.helpOption('-h, --help', t('help.helpOption'));
  // a help command exists only where there are subcommands; naming it elsewhere would add one
  if (cmd.commands.length > 0) cmd.helpCommand('help [command]', t('help.helpCommand'));
  for (const sub of cmd.commands) localiseHelp(sub, t);
}
