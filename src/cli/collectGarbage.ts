/**
 * A full garbage collection now, between two snapshots of a series: the
 * dropped snapshot's buffers (hundreds of MB) would otherwise be freed only
 * once allocation pressure builds up again, while the next snapshot is
 * already loading beside them. `gc()` exists only with --expose-gc, so the
 * flag is set for a fresh context (jest-leak-detector does the same) and
 * cleared again; the program's own globals never see `gc`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
    setFlagsFromString('--no-expose-gc');
  }
  gc();
}
