#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm ci` through the `prepare` script, and by
// `npm run build`). Without a build, or with DTSYNC_FROM_SOURCE=1, it runs the TypeScript
// sources through tsx (a dev dependency), for working on the sources without rebuilding.
import { existsSync, readFileSync } from 'node:fs';

// `dtsync --version` alone answers from package.json, loading nothing: commander and the catalog
// would be most of its time (docs/performance.md, "CLI start"). Any other call, `-V` included
// beside other words, goes through the CLI, which prints the same version.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
  if (process.env.DTSYNC_FROM_SOURCE !== '1' && existsSync(compiled)) {
    await import(compiled.href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/main.ts');
  }
}
