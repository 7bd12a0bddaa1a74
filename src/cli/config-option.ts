import type { Command } from 'commander';
import type { Translate } from '../i18n/catalog.js';

/**
 * The `--config` option, apart from the config loader (src/cli/context.ts): the command list
 * of `dtsync --help` declares it without loading zod and the schema.
 */

/** Adds the `--config` option (every command has it). */
export function withConfigOption(cmd: Command, t: Translate): Command {
  return cmd.option('-c, --config <path>', t('help.opt.config'));
}

/** `--config` given on the command itself or on `dtsync`. */
export function configPathOf(cmd: Command): string | undefined {
  const opts = cmd.optsWithGlobals<{ config?: string }>();
  return opts.config;
}
