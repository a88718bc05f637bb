/**
 * Named timings of the view's phases as User Timing measures (`rg:layout`,
 * `rg:render`, `rg:walk`), which the browser tests read. Only the latest of
 * each is kept, so a long session does not pile up entries.
 */
export function mark(name: string): void {
  performance.clearMarks(name);
  performance.mark(name);
}

export function measure(name: string, startMark: string, endMark: string): void {
  performance.clearMeasures(name);
  performance.measure(name, startMark, endMark);
}
