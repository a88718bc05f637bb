/**
 * `retainer-graph`: what keeps this object alive? See usage.ts for the
 * command line, run.ts for what happens.
 */
import { runCli } from './run';

// chrome-remote-interface (0.34, the latest) parses every inspector URL with
// url.parse(), which Node 22+ reports as deprecated (DEP0169) on each
// --connect: a warning about our dependency, not about anything the user did.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
  if (code === 'DEP0169') return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

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
