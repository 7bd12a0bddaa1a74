import type { LoadedConfig } from '../config/load.js';
import { configError, type ConfigProblem } from '../config/problems.js';
import { isMessageKey } from '../i18n/catalog.js';
import { PdsKeyError } from '../errors/pds-key-error.js';
import { loadPrivateKey } from '../pds/key.js';

/**
 * Every private key file the config names exists and holds a usable RSA key: checked by
 * `config validate` and by every role at start, so a missing key stops the process at once
 * (exit 2, naming the file) instead of failing the first run hours later.
 */
export async function checkKeyFiles(loaded: LoadedConfig): Promise<void> {
  const problems: ConfigProblem[] = [];
  for (const [i, p] of loaded.config.profiles.entries()) {
    const file = p.pds.privateKeyFile;
    if (file === undefined) continue;
    try {
      await loadPrivateKey({ privateKeyFile: file });
    } catch (err) {
      if (!(err instanceof PdsKeyError)) throw err;
      const known = isMessageKey(`configProblem.key.${err.code}`);
      problems.push({
        path: `profiles[${i}].pds.privateKeyFile`,
        code: known ? `key.${err.code}` : 'key.other',
        params: { file, code: err.code },
      });
    }
  }
  if (problems.length > 0) throw configError(problems, loaded.file, loaded.config.locale);
}
