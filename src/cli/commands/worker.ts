import type { Command } from 'commander';
import { startSyncWorker } from '../../../workers/sync.js';
import { roleCommand } from '../role-command.js';

/** `dtsync worker`: runs sync jobs from the queue until SIGINT/SIGTERM. */
export function workerCommand(): Command {
  return roleCommand('worker', 'run sync jobs from the queue (any number of workers may run)', [
    startSyncWorker,
  ]);
}
