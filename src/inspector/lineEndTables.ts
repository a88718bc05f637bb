/**
 * Heap snapshots of big scripts stall on V8 before 11.5 (Node ≤ 20).
 *
 * A snapshot records the source line of every closure. V8 reads it from the
 * script's line-end table; a script without one is scanned from its first
 * character for each closure, because the snapshot must not allocate the
 * table itself. The TypeScript compiler (9 MB, thousands of live closures)
 * then takes longer than anyone waits. V8 11.5 (Node 21) builds the missing
 * tables before each snapshot; on older versions enabling the debugger builds
 * them, since it reports every script with its last line. Measurements and the
 * protocol facts behind each step: docs/inspector.md.
 */

/** Node's inspector names itself in `/json/version` as `node.js/v20.20.2`. */
export function snapshotNeedsLineEndTables(browser: string | undefined): boolean {
  const major = /^node\.js\/v(\d+)\./.exec(browser ?? '')?.[1];
  // A runtime that does not say: a needless debugger round trip costs far less than a stalled snapshot.
  return major === undefined || Number(major) <= 20;
}

/**
 * Sent together, in this order, right behind `startTrackingHeapObjects`, on a
 * plain attach only (never through js-debug's proxy: its debugger is enabled
 * already, so the tables exist).
 * - startTrackingHeapObjects collects garbage and walks the heap before it
 *   replies, so the messages behind it have all arrived when it returns, and
 *   Node dispatches every queued message before it runs JavaScript again: no
 *   JavaScript runs between these steps.
 * - setSkipAllPauses before enable: our debugger never takes a pause.
 * - enable raises V8's breakpoints-active count, which all clients share;
 *   setBreakpointsActive(false) gives it back at once, so a debugger that
 *   deactivated its breakpoints is not stopped by them, nor by `debugger;`.
 * - disable: nothing stays enabled; the tables stay on the scripts.
 */
export const BUILD_LINE_END_TABLES: readonly (readonly [method: string, params: object])[] = [
  ['Debugger.setSkipAllPauses', { skip: true }],
  ['Debugger.enable', {}],
  ['Debugger.setBreakpointsActive', { active: false }],
  ['Debugger.disable', {}],
];
