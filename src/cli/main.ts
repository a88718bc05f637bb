/**
 * `retainer-graph`: what keeps this object alive? See usage.ts for the
 * command line, run.ts for what happens.
 */
import { runCli } from './run';

const controller = new AbortController();
// First Ctrl-C cancels (a live capture cleans up the target); a second one exits at once.
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
    // A cancelled or failed live session must not keep the process alive through a stray handle.
    if (code !== 0) setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`retainer-graph: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
