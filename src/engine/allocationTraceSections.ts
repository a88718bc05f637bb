/*
 * The two sections a snapshot carries when V8 recorded allocation stacks
 * (HeapProfiler.startTrackingHeapObjects with trackAllocations, DevTools'
 * "Allocation instrumentation on timeline"), decoded from their JSON text:
 *
 *   trace_function_infos  flat rows, fields as `meta.trace_function_info_fields`
 *                         (function_id, name, script_name, script_id, line, column)
 *   trace_tree            nested: each node is its `meta.trace_node_fields`
 *                         (id, function_info_index, count, size, children) with
 *                         `children` an array of nodes laid out the same way
 *
 * The parser captures their bytes (they are small beside nodes and edges) and
 * hands them here; the tree is read without recursion or JS arrays, into
 * columns in pre-order, each row knowing its parent row.
 */
import { SnapshotFormatError, describeByte } from './snapshotFormatError';
import { unexpected } from './parserErrors';
import type { AllocationFunctions, AllocationTree } from './snapshotData';

/** V8's field order, for a snapshot whose meta omits it. */
export const DEFAULT_TRACE_FUNCTION_INFO_FIELDS = ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'];
export const DEFAULT_TRACE_NODE_FIELDS = ['id', 'function_info_index', 'count', 'size', 'children'];

const FUNCTIONS = 'trace_function_infos';
const TREE = 'trace_tree';

/** `trace_function_infos` as columns. `offset`: where the section's value began, for errors. */
export function decodeTraceFunctionInfos(bytes: Uint8Array, fields: readonly string[], offset: number): AllocationFunctions {
  const at = fieldOffsets(fields, ['name', 'script_name', 'script_id', 'line', 'column'], 'meta.trace_function_info_fields', offset);
  const numbers: number[] = [];
  let depth = 0;
  forEachToken(bytes, FUNCTIONS, offset, (token, value, i) => {
    if (token === '[') {
      if (depth++ > 0) throw bad(FUNCTIONS, offset + i, 'a number', bytes[i]);
    } else if (token === ']') depth--;
    else numbers.push(value);
  });
  const fieldCount = fields.length;
  if (numbers.length % fieldCount !== 0) throw new SnapshotFormatError(`"${FUNCTIONS}" at byte ${offset} holds ${numbers.length} numbers, not a multiple of ${fieldCount}`, offset, `a multiple of ${fieldCount} numbers`);
  const count = numbers.length / fieldCount;
  const column = (field: number) => Uint32Array.from({ length: count }, (_, row) => numbers[row * fieldCount + field]);
  return { count, names: column(at[0]), scriptNames: column(at[1]), scriptIds: column(at[2]), lines: column(at[3]), columns: column(at[4]) };
}

/** `trace_tree` flattened in pre-order; `parents[row]` is -1 for a top node. */
export function decodeTraceTree(bytes: Uint8Array, fields: readonly string[], offset: number): AllocationTree {
  const [idAt, functionAt, countAt, sizeAt, childrenAt] = fieldOffsets(fields, ['id', 'function_info_index', 'count', 'size', 'children'], 'meta.trace_node_fields', offset);
  const fieldCount = fields.length;
  const columns = new TreeColumns();
  // Per open array: the row that owns it (-1 for the outermost), the row being read, and the next field.
  const owners: number[] = [];
  const rows: number[] = [];
  const positions: number[] = [];
  forEachToken(bytes, TREE, offset, (token, value, i) => {
    const top = owners.length - 1;
    if (token === '[') {
      if (top >= 0) {
        if (positions[top] !== childrenAt) throw bad(TREE, offset + i, 'a number', bytes[i]);
        positions[top]++;
      }
      owners.push(top >= 0 ? rows[top] : -1);
      rows.push(-1);
      positions.push(0);
      return;
    }
    if (token === ']') {
      if (positions[top] !== 0 && positions[top] !== fieldCount) throw bad(TREE, offset + i, `the rest of a trace node (${fieldCount} fields)`, bytes[i]);
      owners.pop();
      rows.pop();
      positions.pop();
      return;
    }
    if (top < 0 || positions[top] === childrenAt) throw bad(TREE, offset + i, top < 0 ? "'['" : "'[' (a trace node's children)", bytes[i]);
    if (positions[top] === fieldCount) positions[top] = 0;
    const field = positions[top]++;
    if (field === 0) rows[top] = columns.add(owners[top]);
    const row = rows[top];
    if (field === idAt) columns.ids[row] = value;
    else if (field === functionAt) columns.functionIndexes[row] = value;
    else if (field === countAt) columns.counts[row] = value;
    else if (field === sizeAt) columns.sizes[row] = value;
  });
  return columns.finish();
}

class TreeColumns {
  count = 0;
  ids = new Uint32Array(64);
  functionIndexes = new Uint32Array(64);
  parents = new Int32Array(64);
  counts = new Float64Array(64);
  sizes = new Float64Array(64);

  add(parent: number): number {
    if (this.count === this.ids.length) {
      const grow = <T extends Uint32Array | Int32Array | Float64Array>(old: T): T => {
        const bigger = new (old.constructor as new (length: number) => T)(old.length * 2);
        bigger.set(old);
        return bigger;
      };
      this.ids = grow(this.ids);
      this.functionIndexes = grow(this.functionIndexes);
      this.parents = grow(this.parents);
      this.counts = grow(this.counts);
      this.sizes = grow(this.sizes);
    }
    this.parents[this.count] = parent;
    return this.count++;
  }

  finish(): AllocationTree {
    const n = this.count;
    return { count: n, ids: this.ids.slice(0, n), functionIndexes: this.functionIndexes.slice(0, n), parents: this.parents.slice(0, n), counts: this.counts.slice(0, n), sizes: this.sizes.slice(0, n) };
  }
}

type Token = '[' | ']' | 'number';

/** Calls `visit` for each bracket and each non-negative integer; checks commas and whitespace between them. */
function forEachToken(bytes: Uint8Array, section: string, offset: number, visit: (token: Token, value: number, index: number) => void): void {
  let expectValue = true;
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c >= 0x30 && c <= 0x39) {
      if (!expectValue) throw bad(section, offset + i, "',' or ']'", c);
      let value = 0;
      const start = i;
      while (i < bytes.length && bytes[i] >= 0x30 && bytes[i] <= 0x39) value = value * 10 + (bytes[i++] - 0x30);
      i--;
      visit('number', value, start);
      expectValue = false;
    } else if (c === 0x5b) {
      if (!expectValue) throw bad(section, offset + i, "',' or ']'", c);
      depth++;
      visit('[', 0, i);
      expectValue = true;
    } else if (c === 0x5d) {
      if (depth === 0) throw bad(section, offset + i, "'['", c);
      depth--;
      visit(']', 0, i);
      expectValue = false;
    } else if (c === 0x2c && !expectValue && depth > 0) {
      expectValue = true;
    } else {
      throw bad(section, offset + i, expectValue ? "a number or '['" : "',' or ']'", c);
    }
  }
  if (depth !== 0) throw bad(section, offset + bytes.length, "']'", undefined);
}

function fieldOffsets(fields: readonly string[], wanted: readonly string[], what: string, offset: number): number[] {
  return wanted.map((name) => {
    const at = fields.indexOf(name);
    if (at < 0) throw new SnapshotFormatError(`"snapshot" has no "${name}" in ${what}; is this a V8 heap snapshot?`, offset, `"${name}" in ${what}`);
    return at;
  });
}

function bad(section: string, offset: number, expected: string, byte: number | undefined): SnapshotFormatError {
  return unexpected(expected, section, offset, describeByte(byte));
}
