import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Config, Profile } from '../config/schema.js';
import { ExitCode } from '../errors/exit-code.js';
import { configPathOf } from './config-option.js';
import { cliError, type CliLang } from './lang.js';

export { configPathOf, withConfigOption } from './config-option.js';

export function loadFor(cmd: Command, requireWeb = false): LoadedConfig {
  return loadConfig({ path: configPathOf(cmd), requireWeb });
}

export function profileOf(config: Config, id: string, lang: CliLang): Profile {
  const profile = config.profiles.find((p) => p.id === id);
  if (profile === undefined) {
    const known = config.profiles.map((p) => p.id).join(', ');
    throw cliError(lang, ExitCode.NotFound, 'unknown_profile', 'cli.unknownProfile', { profile: id, known });
  }
  return profile;
}
