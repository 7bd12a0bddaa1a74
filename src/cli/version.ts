import { readFileSync } from 'node:fs';

/**
 * Where package.json lies from this file: run from the sources (src/cli), compiled
 * (dist/src/cli), or bundled (dist/src/cli/quick). A checkout and the image keep it at the root.
 */
const CANDIDATES = ['../../package.json', '../../../package.json', '../../../../package.json'];

/** This package's version (`dtsync --version`), read from its package.json. */
export function packageVersion(): string {
  for (const path of CANDIDATES) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'dingtalk-pds-sync' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this place: try the next
    }
  }
  return 'unknown';
}
