// Builds dist/: the TypeScript of src/ and workers/ (tsc, incremental) and the files tsc does
// not copy (the web console's assets). Run by `npm ci` (prepare), `npm run build` and the tests.
// Exits non-zero when tsc reports an error, unless --allow-type-errors (the tests' setup: the
// typecheck step reports those).
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
cpSync(`${root}/src/web/assets`, `${root}/dist/src/web/assets`, { recursive: true });
if (r.status !== 0 && !process.argv.includes('--allow-type-errors')) process.exit(r.status ?? 1);
