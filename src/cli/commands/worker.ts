import type { Translate } from '../../i18n/catalog.js';
import type { Command } from 'commander';
import { startSyncWorker } from '../../../workers/sync.js';
import { roleCommand } from '../role-command.js';

/** `dtsync worker`: runs sync jobs from the queue until SIGINT/SIGTERM. */
export function workerCommand(t: Translate): Command {
  return roleCommand('worker', t, 'help.worker', [startSyncWorker]);
}
