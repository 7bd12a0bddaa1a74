import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { readEnv } from '../config/env.js';
import type { Config, Profile } from '../config/schema.js';
import type { Translate } from '../i18n/catalog.js';
import { createLogger, type Logger } from '../process/logger.js';
import { ExitCode } from '../errors/exit-code.js';
import { cliError, type CliLang } from './lang.js';

/** Adds the `--config` option (every command has it). */
export function withConfigOption(cmd: Command, t: Translate): Command {
  return cmd.option('-c, --config <path>', t('help.opt.config'));
}

/** `--config` given on the command itself or on `dtsync`. */
export function configPathOf(cmd: Command): string | undefined {
  const opts = cmd.optsWithGlobals<{ config?: string }>();
  return opts.config;
}

export function loadFor(cmd: Command, requireWeb = false): LoadedConfig {
  return loadConfig({ path: configPathOf(cmd), requireWeb });
}

export function loggerFor(config: Config | undefined): Logger {
  return createLogger({ level: readEnv().LOG_LEVEL ?? config?.log.level ?? 'info' });
}

export function profileOf(config: Config, id: string, lang: CliLang): Profile {
  const profile = config.profiles.find((p) => p.id === id);
  if (profile === undefined) {
    const known = config.profiles.map((p) => p.id).join(', ');
    throw cliError(lang, ExitCode.NotFound, 'unknown_profile', 'cli.unknownProfile', { profile: id, known });
  }
  return profile;
}
