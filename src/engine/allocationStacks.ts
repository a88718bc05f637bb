/**
 * Allocation stacks of snapshot nodes, from V8's allocation tracker (see
 * snapshotData.ts' AllocationTraceData), as DevTools' AllocationProfile
 * serializes them: a node's `trace_node_id` names a node of the trace tree,
 * and its stack is that node and its ancestors, the allocating function first
 * (the synthetic `(root)` on top left out).
 *
 * The site of an allocation is the frame a person would fix: the nearest one
 * in the program's own code (not Node's internals, not `node_modules`), else
 * the nearest in a package, else the allocating function itself (a builtin,
 * or `(root)` when no JavaScript was on the stack).
 */
import type { AllocationFrame, AllocationSite, AllocationSiteCount, AllocationStack } from '../protocol/allocations';
import type { AllocationTraceData, StringTable } from './snapshotData';

const EXAMPLES = 5;
/** siteOf() for an object without a stack. */
export const NO_SITE = -1;

export class AllocationStacks {
  private readonly traces: AllocationTraceData | undefined;
  /** trace node id → row in the tree (-1: none). */
  private readonly rowOfId: Int32Array;
  /** Per tree row: the function row of its site. */
  private readonly siteRows: Int32Array;
  private readonly frames = new Map<number, AllocationFrame>();
  private readonly sites = new Map<number, AllocationSite>();

  constructor(
    traces: AllocationTraceData | undefined,
    private readonly strings: StringTable,
    /** How the engine shows a script's path (CodeScopes.displayPath). */
    private readonly displayPath: (script: string) => string,
  ) {
    this.traces = traces;
    const tree = traces?.tree;
    let maxId = 0;
    if (tree) for (let row = 0; row < tree.count; row++) maxId = Math.max(maxId, tree.ids[row]);
    this.rowOfId = new Int32Array(maxId + 1).fill(-1);
    this.siteRows = new Int32Array(tree?.count ?? 0);
    if (!traces || !tree) return;
    for (let row = 0; row < tree.count; row++) this.rowOfId[tree.ids[row]] = row;
    this.findSites(traces);
  }

  /** Did V8 record allocation stacks for this snapshot? */
  get recorded(): boolean {
    return this.traces !== undefined;
  }

  stackOf(ordinal: number): AllocationStack {
    const traces = this.traces;
    if (!traces) return { state: 'not-recorded' };
    const row = this.rowOf(ordinal);
    if (row < 0) return { state: 'no-stack' };
    const { parents, functionIndexes } = traces.tree;
    const frames: AllocationFrame[] = [];
    for (let at = row; at >= 0 && (parents[at] >= 0 || at === row); at = parents[at]) frames.push(this.frame(functionIndexes[at]));
    return { state: 'recorded', frames, site: this.site(this.siteRows[row]) };
  }

  /** The function row of the object's allocation site, or NO_SITE; the same row, the same site. */
  siteOf(ordinal: number): number {
    const row = this.rowOf(ordinal);
    return row < 0 ? NO_SITE : this.siteRows[row];
  }

  site(functionRow: number): AllocationSite {
    let site = this.sites.get(functionRow);
    if (!site) {
      const frame = this.frame(functionRow);
      const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
      const call = frame.functionName === '' ? name : `${name}()`;
      const label = frame.scriptName === '' ? name : `${frame.file}${frame.line === null ? '' : `:${frame.line + 1}`} in ${call}`;
      site = { frame, label };
      this.sites.set(functionRow, site);
    }
    return site;
  }

  /** `members` (nodeOrdinals) by allocation site, most objects first; objects without a stack in one row with `site: null`. */
  sitesOf(members: Iterable<number>, selfSizes: ArrayLike<number>, nodeIds: ArrayLike<number>): AllocationSiteCount[] {
    const bySite = new Map<number, AllocationSiteCount>();
    for (const ordinal of members) {
      const siteRow = this.siteOf(ordinal);
      let row = bySite.get(siteRow);
      if (!row) {
        row = { site: siteRow === NO_SITE ? null : this.site(siteRow), count: 0, selfSize: 0, exampleIds: [] };
        bySite.set(siteRow, row);
      }
      row.count++;
      row.selfSize += selfSizes[ordinal];
      if (row.exampleIds.length < EXAMPLES) row.exampleIds.push(nodeIds[ordinal]);
    }
    return [...bySite.values()].sort((a, b) => b.count - a.count || b.selfSize - a.selfSize || (a.site?.label ?? '').localeCompare(b.site?.label ?? ''));
  }

  /** Tree row of the object's trace node, or -1 (no stack, or an id the tree lacks). */
  private rowOf(ordinal: number): number {
    const id = this.traces?.nodeTraceIds[ordinal] ?? 0;
    return id > 0 && id < this.rowOfId.length ? this.rowOfId[id] : -1;
  }

  /** One pass in pre-order (a parent's row comes first): the nearest program frame, else package frame, at or above each row. */
  private findSites({ tree, functions }: AllocationTraceData): void {
    const kinds = new Uint8Array(functions.count);
    for (let f = 0; f < functions.count; f++) kinds[f] = scriptKind(this.text(functions.scriptNames[f]));
    const program = new Int32Array(tree.count);
    const library = new Int32Array(tree.count);
    for (let row = 0; row < tree.count; row++) {
      const f = tree.functionIndexes[row];
      const parent = tree.parents[row];
      program[row] = kinds[f] === PROGRAM ? f : parent >= 0 ? program[parent] : -1;
      library[row] = kinds[f] === PACKAGE ? f : parent >= 0 ? library[parent] : -1;
      this.siteRows[row] = program[row] >= 0 ? program[row] : library[row] >= 0 ? library[row] : f;
    }
  }

  private frame(functionRow: number): AllocationFrame {
    let frame = this.frames.get(functionRow);
    if (!frame) {
      const functions = this.traces!.functions;
      const scriptName = this.text(functions.scriptNames[functionRow]);
      const line = functions.lines[functionRow];
      const column = functions.columns[functionRow];
      frame = {
        functionName: this.text(functions.names[functionRow]),
        scriptName,
        file: scriptName === '' ? '' : this.displayPath(scriptName),
        scriptId: functions.scriptIds[functionRow],
        // V8 writes positions 1-based, 0 for none.
        line: line > 0 ? line - 1 : null,
        column: column > 0 ? column - 1 : null,
      };
      this.frames.set(functionRow, frame);
    }
    return frame;
  }

  private text(stringIndex: number): string {
    return stringIndex < this.strings.length ? this.strings.get(stringIndex) : '';
  }
}

const NODE_OR_V8 = 0;
const PACKAGE = 1;
const PROGRAM = 2;

/** Node's own modules (`node:internal/timers`, older `internal/…`) and V8's builtins (no script) are never a site unless nothing else is. */
function scriptKind(scriptName: string): number {
  if (scriptName === '' || scriptName.startsWith('node:') || /^internal[\\/]/.test(scriptName)) return NODE_OR_V8;
  return /[\\/]node_modules[\\/]/.test(scriptName) ? PACKAGE : PROGRAM;
}
