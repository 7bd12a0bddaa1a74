import type { Translate } from '../../i18n/catalog.js';
import type { Command } from 'commander';
import { startWeb } from '../../../workers/web.js';
import { webStartProblem } from '../../web/startable.js';
import { roleCommand } from '../role-command.js';

/** `dtsync web`: the status console, the queue dashboard and the admin API (any number may run). */
export function webCommand(t: Translate): Command {
  return roleCommand('web', t, 'help.web', [startWeb], { requireWeb: true, refuse: webStartProblem });
}
