import type { Command } from 'commander';
import { startScheduler } from '../../../workers/scheduler.js';
import { startSyncWorker } from '../../../workers/sync.js';
import { roleCommand } from '../role-command.js';

/** `dtsync start`: the scheduler and a sync worker in one process, for small installs. */
export function startCommand(): Command {
  return roleCommand('start', 'run the scheduler and a sync worker in one process (small installs)', [
    startScheduler,
    startSyncWorker,
  ]);
}
