import type { Translate } from '../../i18n/catalog.js';
import type { Command } from 'commander';
import { startScheduler } from '../../../workers/scheduler.js';
import { roleCommand } from '../role-command.js';

export function schedulerCommand(t: Translate): Command {
  return roleCommand('scheduler', t, 'help.scheduler', [startScheduler]);
}
