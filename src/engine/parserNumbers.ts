import type { Layout } from './parserLayout';

/*
 * The hot part of the parser: JSON arrays of numbers (`nodes`, `edges`,
 * `locations`) scanned into a scratch array, then moved record by record into
 * typed columns. Plain functions over typed arrays, shaped for V8 (see each
 * function's note on why).
 */

// Arrays of numbers and of strings.
export const A_OPEN = 0; // before '['
export const A_FIRST = 1; // after '[': a value or ']'
export const A_IN = 2; // inside a number / string
export const A_AFTER = 3; // after a value: ',' or ']'
export const A_NEXT = 4; // after ',': a value
export const A_ESCAPE = 5; // strings only: after a backslash

// Registers shared with scanNumbers(): typed arrays, so the hot function
// touches no object properties (whose feedback V8 would lack after OSR), and
// Int32 so the loop's state and index stay integers.
export const R_STATE = 0;
export const R_START = 1;
export const R_COUNT = 2;
export const R_CLOSED = 3;
export const R_SIZE = 4;

/**
 * The hot loop: scans JSON numbers of an array from buf[i] to end into
 * scratch, following the array grammar. Stops after the closing ']'
 * (R_CLOSED = 1), at a byte that does not fit (returns its position), or at end.
 */
export function scanNumbers(buf: Uint8Array, i: number, end: number, scratch: Float64Array, registers: Int32Array, valueRegister: Float64Array): number {
  let state = registers[R_STATE];
  let value = valueRegister[0];
  let start = registers[R_START];
  let n = registers[R_COUNT];
  let closed = 0;
  for (; i < end; i++) {
    let c = buf[i];
    if (c <= 0x39 && c >= 0x30) {
      if (state === A_IN) {
        // Rare: the digits continue a number begun in the previous slice.
        value = value * 10 + (c - 0x30);
        while (++i < end) {
          c = buf[i];
          if (c > 0x39 || c < 0x30) break;
          value = value * 10 + (c - 0x30);
        }
        if (i === end) break;
        scratch[n++] = value;
      } else {
        if (state === A_AFTER || state === A_OPEN) break;
        // The hot path: runs of digits separated by single commas, each in a
        // fresh local so V8 keeps integer arithmetic. Anything else (V8's
        // "\n," between records, ']', errors) leaves through the general code below.
        let ended = false;
        for (;;) {
          start = i;
          let digits = c - 0x30;
          while (++i < end) {
            c = buf[i];
            if (c > 0x39 || c < 0x30) break;
            digits = digits * 10 + (c - 0x30);
          }
          if (i === end) {
            value = digits;
            ended = true;
            break;
          }
          scratch[n++] = digits;
          if (c !== 0x2c || i + 1 === end) break;
          const next = buf[i + 1];
          if (next > 0x39 || next < 0x30) break;
          i++;
          c = next;
        }
        if (ended) {
          state = A_IN;
          break;
        }
      }
      state = A_AFTER;
    } else if (state === A_IN) {
      // A number continued from the previous chunk ends here.
      scratch[n++] = value;
      state = A_AFTER;
    }
    if (c === 0x2c) {
      if (state !== A_AFTER) break;
      state = A_NEXT;
    } else if (c === 0x5d) {
      if (state === A_NEXT || state === A_OPEN) break;
      closed = 1;
      i++;
      break;
    } else if (c === 0x5b && state === A_OPEN) {
      state = A_FIRST;
    } else if (c !== 0x0a && c !== 0x20 && c !== 0x0d && c !== 0x09) {
      break;
    }
  }
  registers[R_STATE] = state;
  valueRegister[0] = value;
  registers[R_START] = start;
  registers[R_COUNT] = n;
  registers[R_CLOSED] = closed;
  return i;
}

/**
 * Runs scanNumbers() once over every non-error path before real input does.
 * Why: V8 optimizes the first big call by on-stack replacement, before the
 * code after the loop ever ran; that code then lacks type feedback and the
 * optimized loop was thrown away at the end of every slice (measured 3x slower).
 */
function warmUpScanner(): void {
  const scratch = new Float64Array(16);
  const registers = new Int32Array(R_SIZE);
  const valueRegister = new Float64Array(1);
  const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
  // A continued number of several digits too ('678,9'): its inner loop deoptimized otherwise.
  const samples = [['[12,3\n,45', A_OPEN], [',7 ,8]', A_IN], ['6,9\r\n,10\t]', A_IN], ['678,9]', A_IN], ['[]', A_OPEN], ['1', A_NEXT]] as const;
  // Enough calls that V8 allocates the feedback vector (it does so lazily, after a few calls).
  for (let round = 0; round < 32; round++) {
    for (const [text, state] of samples) {
      registers.fill(0);
      registers[R_STATE] = state;
      valueRegister[0] = round & 1 ? 2 ** 40 : 0; // continued numbers can be doubles
      scanNumbers(bytes(text), 0, text.length, scratch, registers, valueRegister);
    }
  }
}
warmUpScanner();

export interface NodeColumns {
  types: Uint8Array;
  names: Uint32Array;
  ids: Uint32Array;
  selfSizes: Float64Array;
  /** nodeCount + 1 entries; entry n + 1 is filled when node n is read. */
  firstEdgeIndexes: Uint32Array;
  /** Empty when the snapshot has no detachedness field. */
  detachedness: Uint8Array;
}

export interface EdgeColumns {
  types: Uint8Array;
  namesOrIndexes: Uint32Array;
  /** nodeOrdinals. */
  toNodes: Uint32Array;
}

/*
 * The demultiplexers move whole records from the scratch array into columns.
 * They are plain functions that end in a bare `return` for the same reason as
 * warmUpScanner(): code after an on-stack-replaced loop must not need type
 * feedback. They return the next ordinal / edgeIndex, or -1 - k when the
 * record starting at scratch[k] is invalid (the parser then says why).
 */
export function demultiplexNodes(s: Float64Array, n: number, layout: Layout, columns: NodeColumns, ordinal: number): number {
  const fieldCount = layout.nodeFieldCount;
  const typeAt = layout.nodeTypeOffset;
  const nameAt = layout.nodeNameOffset;
  const idAt = layout.nodeIdOffset;
  const sizeAt = layout.nodeSelfSizeOffset;
  const edgeCountAt = layout.nodeEdgeCountOffset;
  const detachedAt = layout.nodeDetachednessOffset;
  const typeCount = layout.nodeTypeNames.length;
  const nodeCount = layout.nodeCount;
  const edgeLimit = layout.edgeCount;
  const { types, names, ids, selfSizes, firstEdgeIndexes, detachedness } = columns;
  let edgeSum = firstEdgeIndexes[ordinal];
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const type = s[k + typeAt];
    edgeSum += s[k + edgeCountAt];
    if (ordinal >= nodeCount || type >= typeCount || edgeSum > edgeLimit) return -1 - k;
    types[ordinal] = type;
    names[ordinal] = s[k + nameAt];
    ids[ordinal] = s[k + idAt];
    selfSizes[ordinal] = s[k + sizeAt];
    firstEdgeIndexes[ordinal + 1] = edgeSum;
    if (detachedAt >= 0) detachedness[ordinal] = s[k + detachedAt];
    ordinal++;
  }
  return ordinal;
}

/** to_node is a node index (ordinal × node field count); stored as the ordinal. */
export function demultiplexEdges(s: Float64Array, n: number, layout: Layout, columns: EdgeColumns, edgeIndex: number): number {
  const fieldCount = layout.edgeFieldCount;
  const typeAt = layout.edgeTypeOffset;
  const nameAt = layout.edgeNameOffset;
  const toNodeAt = layout.edgeToNodeOffset;
  const typeCount = layout.edgeTypeNames.length;
  const edgeCount = layout.edgeCount;
  const nodeFieldCount = layout.nodeFieldCount;
  const nodeIndexLimit = layout.nodeCount * nodeFieldCount;
  const { types, namesOrIndexes, toNodes } = columns;
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const type = s[k + typeAt];
    const toNodeIndex = s[k + toNodeAt];
    const toNodeOrdinal = toNodeIndex / nodeFieldCount;
    if (edgeIndex >= edgeCount || type >= typeCount || toNodeIndex >= nodeIndexLimit || toNodeOrdinal !== Math.floor(toNodeOrdinal)) return -1 - k;
    types[edgeIndex] = type;
    namesOrIndexes[edgeIndex] = s[k + nameAt];
    toNodes[edgeIndex] = toNodeOrdinal;
    edgeIndex++;
  }
  return edgeIndex;
}

/** Locations as flat (nodeOrdinal, scriptId, line, column) quadruples; object_index becomes the ordinal. */
export function demultiplexLocations(s: Float64Array, n: number, layout: Layout, values: Uint32Array, count: number): number {
  const fieldCount = layout.locationFieldCount;
  const objectAt = layout.locationObjectOffset;
  const scriptAt = layout.locationScriptOffset;
  const lineAt = layout.locationLineOffset;
  const columnAt = layout.locationColumnOffset;
  const nodeFieldCount = layout.nodeFieldCount;
  const nodeIndexLimit = layout.nodeCount * nodeFieldCount;
  let at = count * 4;
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const objectIndex = s[k + objectAt];
    const ordinal = objectIndex / nodeFieldCount;
    if (objectIndex >= nodeIndexLimit || ordinal !== Math.floor(ordinal)) return -1 - k;
    values[at++] = ordinal;
    values[at++] = s[k + scriptAt];
    values[at++] = s[k + lineAt];
    values[at++] = s[k + columnAt];
  }
  return at / 4;
}
