/**
 * The retainer walk: what the engine returns, what the CLI prints as JSON and
 * what the webview draws. One contract for all three.
 */
import type { AllocationStack } from './allocations';

/** Where a retainer chain ends (or passes), named the way the code names it. */
export type RootKind =
  /** A global object or one of its properties: `globalThis.appCache`, `process.bus`. */
  | 'global'
  /** A module or its top-level scope: `module lib/docs.mjs` (its exports), `module scope of lib/registry.js`. */
  | 'module'
  /** A Map/Set/array/dictionary held statically (class static, module or global scope): `Processor.instanceMap`. */
  | 'static-map'
  /** A function's variables kept by the closures it made: `closure scope of createServer`. */
  | 'closure'
  /** A V8 root category: `(Global handles)`, `(Stack roots)`. */
  | 'gc-root'
  /** Retained only because a debugger is attached (DevTools console handles, paused-frame scopes). */
  | 'debugger';

export const ROOT_KINDS: readonly RootKind[] = ['global', 'module', 'static-map', 'closure', 'gc-root', 'debugger'];

export interface WalkOptions {
  /** Levels of retainers above the target (objgraph's max_depth). */
  depth: number;
  /** Retainers shown per node, closest to a root first (objgraph's too_many). */
  fanOut: number;
  /** Follow `weak` edges too (a WeakRef target, a WeakMap table's slots; WeakMap entries retain without it). Default false. */
  includeWeak: boolean;
  /** Per-node fan-out raised by "+N more": snapshot id → fan-out for that node. */
  fanOutOverrides?: Record<number, number>;
  /** Retainer edges to treat as if they did not exist (DevTools' "Ignore this retainer"). */
  ignoredEdges?: EdgeRef[];
  /** Also show retainers that are V8 plumbing (hidden classes, code, property backing stores). Default false. */
  includeInternals?: boolean;
}

/**
 * Why a node's retainers (references) were cut: more than the fan-out; past
 * the depth; or a stop the walk does not go past (the owner of a static
 * collection or of a global's value above the target; in a references walk,
 * shared structure such as a prototype, or the node budget spent).
 */
export type WalkCut = 'fan-out' | 'depth' | 'stop';

/**
 * The one owner of the default depth and fan-out: the engine, the CLI's
 * options and the extension's settings take them from here (package.json's
 * setting defaults must match; a test checks).
 */
export const DEFAULT_WALK_OPTIONS: WalkOptions = { depth: 8, fanOut: 10, includeWeak: false };

/** Identifies one retainer edge by its endpoints' snapshot ids and its raw name. */
export interface EdgeRef {
  from: number;
  to: number;
  name: string;
  /** How the view named it when the user ignored it (`.lastLoader in globalThis.appCache`), to list it with an undo. */
  label?: string;
}

export interface WalkNode {
  /** Snapshot object id (`@12345`). */
  id: number;
  /** Constructor / class name as DevTools shows it (`Processor`, `Map`, `system / Context`). */
  name: string;
  /** V8 node type: object, closure, array, string, hidden, synthetic, code, native, … */
  type: string;
  /**
   * Shallow size as Chrome DevTools shows it: V8's self size, plus the
   * stores (arrays, hidden objects) this node alone holds, or 0 for such a
   * store (docs/retained-sizes.md).
   */
  selfSize: number;
  /** The self size V8 wrote in the snapshot for this node alone. */
  v8SelfSize: number;
  /** Retained size (as DevTools computes it) when dominators were computed, else null. */
  retainedSize: number | null;
  /** BFS distance from the roots, as DevTools computes it (a WeakMap value one past the farther of its key and map); null when unreachable. */
  distance: number | null;
  /** Set where this node is a root of the chain, or a static collection on the way; else null. */
  rootKind: RootKind | null;
  /** How code names it: `Processor.instanceMap`, `globalThis.appCache`, `module scope of lib/registry.js`. */
  label: string;
  /** Short value preview (strings truncated), when there is one. */
  preview?: string;
  /** Levels above the target in this walk (0 = the target). */
  level: number;
  /** Total strong retainers (all retainers when includeWeak). */
  retainerCount: number;
  /** A V8 internal (feedback cells, maps, code, …) rather than something code created. */
  internal: boolean;
  /** Source position: a function's, or for an object its constructor's, when the snapshot has one. */
  location?: SourceLocation;
  /**
   * Made by Node.js itself rather than the program: its constructor or
   * function comes from a `node:` script (timer lists, task queues, Node's
   * module scopes). Drawn recessive.
   */
  runtime?: boolean;
}

export interface SourceLocation {
  scriptId: number;
  /** Script name as the heap records it (file path, `file://` or `node:` URL), when found. */
  url?: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
}

export interface WalkEdge {
  /** The holder (retainer). */
  from: number;
  /** The held object. */
  to: number;
  /** Raw edge name: property name, element index, Map key, closure variable name. */
  name: string;
  /** As code reads it: `.instanceMap`, `[12]`, `get("bot3")`, `closure: big`. */
  label: string;
  /** V8 edge type: context, element, property, internal, hidden, shortcut, weak. */
  type: string;
  /** This edge closes a cycle (its holder is itself retained by what it holds). */
  cycle?: boolean;
  /**
   * Half of a WeakMap entry, whose value lives only while both its WeakMap
   * and its key do: 'map' is drawn from the WeakMap (label `WeakMap entry
   * keyed by …`), 'key' from the key (label `key of WeakMap entry in …`).
   */
  ephemeron?: 'map' | 'key';
}

/**
 * Which way a walk goes from its target: up its retainers to the roots
 * (objgraph's show_backrefs) or down what it holds (show_refs).
 */
export type WalkDirection = 'retainers' | 'references';

export interface Walk {
  /** Snapshot id of the object whose retainers (or references) were walked. */
  target: number;
  /** Absent means 'retainers'. In a 'references' walk `level` counts down from the target and edges still go holder → held. */
  direction?: WalkDirection;
  options: WalkOptions;
  nodes: WalkNode[];
  edges: WalkEdge[];
  /**
   * Nodes whose retainers (references) were cut, how many were left out, and
   * by what (WalkCut). A bigger fan-out for that node (fanOutOverrides) shows them.
   */
  truncated: { id: number; hidden: number; by: WalkCut }[];
  /**
   * Edges of walked nodes left out as weak or as V8 internals, per node
   * (`includeWeak` and `includeInternals` show them). Absent when none.
   */
  filtered?: { id: number; weak: number; internal: number }[];
  /** The shortest strong path from a root to the target, always in full (root first); empty in a 'references' walk. */
  shortestPath: { nodes: number[]; edges: WalkEdge[] };
  /** The target's class as the class list counts it, once the engine has counted classes (with retained sizes once computed). */
  targetClass?: ClassSummary;
}

/** One row of the class list (DevTools' summary view): instances grouped by constructor name. */
export interface ClassSummary {
  name: string;
  /** Instances (nodes of shallow size > 0, as DevTools' summary counts them). */
  count: number;
  /** Sum of their shallow sizes. */
  selfSize: number;
  /**
   * Bytes freed if every instance went (instances nested under another of
   * the same class counted once, as DevTools does); set once retained sizes were computed.
   */
  retainedSize?: number;
}

/** Everything the details pane shows about one node. */
export interface NodeDetails {
  node: WalkNode;
  /** All retainers (not capped by fan-out), closest to a root first. */
  retainers: { edge: WalkEdge; node: WalkNode }[];
  /** How many retainers there are in all, when `retainers` was cut short (hub nodes with millions). */
  totalRetainers?: number;
  /**
   * Where it was allocated; `not-recorded` for a snapshot taken without
   * allocation tracking. The engine always sets it (optional only for views
   * built before allocation stacks existed).
   */
  allocation?: AllocationStack;
}
