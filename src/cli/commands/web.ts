import type { Command } from 'commander';
import { startWeb } from '../../../workers/web.js';
import { webStartProblem } from '../../web/startable.js';
import { roleCommand } from '../role-command.js';

/** `dtsync web`: the status console, the queue dashboard and the admin API (any number may run). */
export function webCommand(): Command {
  return roleCommand(
    'web',
    'serve the status console, the queue dashboard (/admin/queues) and the admin API on web.host:web.port',
    [startWeb],
    { requireWeb: true, refuse: webStartProblem },
  );
}
