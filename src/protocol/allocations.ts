/**
 * Where objects were allocated, as V8's allocation tracker recorded it
 * (HeapProfiler.startTrackingHeapObjects with `trackAllocations`, DevTools'
 * "Allocation instrumentation on timeline"): what the engine returns for a
 * node, a class or a group of paths, what the CLI prints as JSON and what the
 * details pane and the Growth view show.
 *
 * V8 records functions, not statements: a frame's position is where its
 * function starts (DevTools links the same place).
 */

/** One function of an allocation stack. */
export interface AllocationFrame {
  /** As V8 names it; '' for an anonymous function. */
  functionName: string;
  /** The script as V8 recorded it (absolute path or URL); '' for V8's own code (builtins, `(root)`). */
  scriptName: string;
  /** The script as the rest of Retainer Graph shows files: relative to the main script's folder, `node_modules/…`, `node:…`. */
  file: string;
  scriptId: number;
  /** Where the function starts, 0-based; null when V8 recorded no position. */
  line: number | null;
  column: number | null;
}

/** The frame an allocation is attributed to, and how a person reads it. */
export interface AllocationSite {
  frame: AllocationFrame;
  /** `lib/scheduler.js:12 in enqueue()` (1-based line), or a builtin's name. */
  label: string;
}

/**
 * The allocation stack of one object.
 * - `not-recorded`: the snapshot has no allocation stacks at all (V8 was not
 *   tracking allocations when the snapshot was taken).
 * - `no-stack`: the snapshot has stacks, but none for this object. V8
 *   records none for objects allocated before tracking began, and drops an
 *   object's stack when the GC moves it after V8 gave it a snapshot id (a
 *   compacting full GC, a snapshot's own included: checked on Node 20 and 24).
 *   DevTools shows such objects as allocated before the recording.
 * - `recorded`: its stack, the allocating function first, and its site.
 */
export type AllocationStack =
  | { state: 'not-recorded' }
  | { state: 'no-stack' }
  | { state: 'recorded'; frames: AllocationFrame[]; site: AllocationSite };

/** Objects that share an allocation site. */
export interface AllocationSiteCount {
  /** null: objects with no stack (allocated before tracking began, or dropped by V8; see AllocationStack). */
  site: AllocationSite | null;
  count: number;
  selfSize: number;
  /** Up to 5 snapshot ids, to walk one of them. */
  exampleIds: number[];
}
