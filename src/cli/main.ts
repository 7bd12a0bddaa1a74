import { main } from './program.js';

// A reader that stops early (`dtsync runs show 10 | head -1`) closes the pipe: that is the
// reader's choice, not an error, so the command ends quietly with its own exit code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

process.exitCode = await main(process.argv);
