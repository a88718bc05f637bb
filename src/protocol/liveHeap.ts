import type { Walk } from './walk';

/**
 * Live instruments on an attached process (src/inspector/liveHeap.ts): heap
 * usage over time, whether objects of a snapshot are still alive, and what a
 * watch until collected concludes. Plain data: the extension host sends it to
 * its views, the CLI prints it as JSON.
 */

/** `Runtime.getHeapUsage`: the V8 heap of the target now, in bytes. Nothing is evaluated in the target. */
export interface HeapUsage {
  /** Bytes in use by live and not yet collected objects. */
  usedSize: number;
  /** Bytes the heap has reserved. */
  totalSize: number;
  /** Newer V8 (Node 22 and later) also reports the embedder's heap… */
  embedderHeapUsedSize?: number;
  /** …and array buffer backing stores (outside the V8 heap). */
  backingStorageSize?: number;
}

/** Is one snapshot object still in the process? */
export interface ObjectLiveness {
  /** Snapshot object id (`@12345`), as the session that took the snapshot assigned it. */
  id: number;
  /** `collected`: V8 no longer has it, or it is unreachable and the next GC frees it. */
  state: 'alive' | 'collected';
  /** When alive: V8's class name and one-line description (`Processor`, `Map(5)`). */
  className?: string;
  description?: string;
}

export interface LivenessCheck {
  objects: ObjectLiveness[];
  /**
   * Whether a full garbage collection ran before the lookups. V8 runs it from
   * its task queue, which waits while the program is paused in a debugger:
   * then this is false, and an object held only weakly (a WeakRef target, a
   * WeakMap key's value) may still read as alive. Unreachable objects read as
   * collected either way.
   */
  garbageCollected: boolean;
}

/** What `retainer-graph --watch` concludes (its `--format json`). */
export interface WatchReport {
  outcome: 'collected' | 'alive';
  /** Snapshot id of the watched object, valid in the watch's inspector session only. */
  id: number;
  /** What V8 called it when the watch began (`Processor`). */
  className: string;
  /** Checks made, and seconds from the first to the last. */
  checks: number;
  seconds: number;
  /** When still alive: its retainers in a snapshot taken at the end. */
  walk?: Walk;
}
