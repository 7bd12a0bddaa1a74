import type { Command } from 'commander';
import { startScheduler } from '../../../workers/scheduler.js';
import { roleCommand } from '../role-command.js';

export function schedulerCommand(): Command {
  return roleCommand(
    'scheduler',
    'run the scheduler role: enqueue each auto profile at its slot (reloads the config on SIGHUP)',
    [startScheduler],
  );
}
