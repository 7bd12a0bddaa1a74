import type { Translate } from '../../i18n/catalog.js';
import type { Command } from 'commander';
import { startScheduler } from '../../../workers/scheduler.js';
import { startSyncWorker } from '../../../workers/sync.js';
import { startWeb } from '../../../workers/web.js';
import { webStartProblem } from '../../web/startable.js';
import { roleCommand } from '../role-command.js';

/** `dtsync start`: the scheduler and a sync worker in one process, and the web role when `web:` exists. */
export function startCommand(t: Translate): Command {
  return roleCommand(
    'start',
    t,
    'help.start',
    (config) => [startScheduler, startSyncWorker, ...(config.web === undefined ? [] : [startWeb])],
    { refuse: (config) => (config.web === undefined ? undefined : webStartProblem(config)) },
  );
}
