import type { Layout } from './parserLayout';
import type { EdgeColumns } from './parserNumbers';

/*
 * The end of the `edges` array, parsed backwards by a second thread while the
 * SnapshotParser reads the file forwards (readSnapshotFile does the split).
 *
 * Why backwards: a thread that starts in the middle of the edges does not know
 * the index of the first edge it meets, but the last edge's index is known from
 * the header (edge_count - 1). So this parser starts at the array's closing ']'
 * and writes records downwards, straight into the shared columns.
 *
 * It is an optimisation only: on anything unexpected it gives up (throws an
 * EdgeTailMismatch) and the forward parser reads that part itself, so
 * malformed input gets exactly the sequential parser's error message.
 */

export class EdgeTailMismatch extends Error {
  override name = 'EdgeTailMismatch';
}

/** What the tail parser produced: `records` whole records ending at edge_count - 1, and the numbers before them. */
export interface EdgeTail {
  records: number;
  /** The first 0 … edgeFieldCount - 1 numbers of the range, in file order: the end of a record begun before it. */
  leading: number[];
}

// Backward scanner states (reading right to left).
const B_BEFORE = 0; // right of us is ']' or ',': whitespace or a number's last digit
const B_IN = 1; // inside a number
const B_AFTER = 2; // left of a number: whitespace or ','

// Registers shared with the scanner (typed arrays, for the same reasons as scanNumbers').
const R_STATE = 0;
const R_COUNT = 1;
const R_SIZE = 2;
const V_VALUE = 0;
const V_SCALE = 1;

/** Above this a number may not be exact in a double, so the forward parser must read it. */
const MAX_EXACT = 2 ** 53;

/**
 * Scans buf[from..i) right to left into scratch (rightmost number first).
 * Returns `from` when it consumed everything, or the position of a byte that
 * does not fit the array grammar.
 */
function scanNumbersBackward(buf: Uint8Array, from: number, i: number, scratch: Float64Array, registers: Int32Array, values: Float64Array): number {
  let state = registers[R_STATE];
  let n = registers[R_COUNT];
  // Only for a number cut by a chunk's left edge; the hot path keeps integer locals.
  let value = values[V_VALUE];
  let scale = values[V_SCALE];
  scan: while (i > from) {
    let c = buf[i - 1];
    if (c <= 0x39 && c >= 0x30) {
      if (state === B_AFTER) break;
      if (state === B_IN) {
        // Rare: the digits left of a number begun in the previous (right-hand) chunk.
        while (i > from) {
          c = buf[i - 1];
          if (c > 0x39 || c < 0x30) break;
          value += (c - 0x30) * scale;
          scale *= 10;
          i--;
        }
        if (i === from) break;
        if (scale > MAX_EXACT) break;
        scratch[n++] = value;
        state = B_AFTER;
        continue;
      }
      // The hot path: numbers separated by single commas, each read right to left.
      for (;;) {
        let digits = c - 0x30;
        let power = 10;
        i--;
        while (i > from) {
          c = buf[i - 1];
          if (c > 0x39 || c < 0x30) break;
          digits += (c - 0x30) * power;
          power *= 10;
          i--;
        }
        if (i === from) {
          value = digits;
          scale = power;
          state = B_IN;
          break scan;
        }
        if (power > MAX_EXACT) break scan;
        scratch[n++] = digits;
        state = B_AFTER;
        if (c !== 0x2c || i - 1 === from) break;
        c = buf[i - 2];
        if (c > 0x39 || c < 0x30) break;
        i--;
      }
      continue;
    }
    if (state === B_IN) {
      // A number continued from the previous chunk ends here.
      if (scale > MAX_EXACT) break;
      scratch[n++] = value;
      state = B_AFTER;
    }
    if (c === 0x2c) {
      if (state !== B_AFTER) break;
      state = B_BEFORE;
    } else if (c !== 0x0a && c !== 0x20 && c !== 0x0d && c !== 0x09) {
      break;
    }
    i--;
  }
  registers[R_STATE] = state;
  registers[R_COUNT] = n;
  values[V_VALUE] = value;
  values[V_SCALE] = scale;
  return i;
}

/**
 * Moves whole records (reversed in scratch) into the columns at edgeIndex - 1,
 * edgeIndex - 2, …; the same checks as demultiplexEdges. Returns the lowest
 * edgeIndex written, or -1 when a record does not fit.
 */
function demultiplexEdgesBackward(s: Float64Array, n: number, layout: Layout, columns: EdgeColumns, edgeIndex: number): number {
  const fieldCount = layout.edgeFieldCount;
  const last = fieldCount - 1;
  const typeAt = last - layout.edgeTypeOffset;
  const nameAt = last - layout.edgeNameOffset;
  const toNodeAt = last - layout.edgeToNodeOffset;
  const typeCount = layout.edgeTypeNames.length;
  const nodeFieldCount = layout.nodeFieldCount;
  const nodeIndexLimit = layout.nodeCount * nodeFieldCount;
  const { types, namesOrIndexes, toNodes } = columns;
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const type = s[k + typeAt];
    const toNodeIndex = s[k + toNodeAt];
    const toNodeOrdinal = toNodeIndex / nodeFieldCount;
    if (edgeIndex === 0 || type >= typeCount || toNodeIndex >= nodeIndexLimit || toNodeOrdinal !== Math.floor(toNodeOrdinal)) return -1;
    edgeIndex--;
    types[edgeIndex] = type;
    namesOrIndexes[edgeIndex] = s[k + nameAt];
    toNodes[edgeIndex] = toNodeOrdinal;
  }
  return edgeIndex;
}

/** Runs the scanner and demultiplexer over every non-error path before real input (see warmUpScanner in parserNumbers.ts). */
function warmUp(): void {
  const registers = new Int32Array(R_SIZE);
  const values = new Float64Array(2);
  const scratch = new Float64Array(16);
  const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const samples = [['12,3\n,45', B_BEFORE], [' 7 ,8', B_BEFORE], ['6,9\r\n,10\t', B_IN], ['678', B_IN], [',5', B_IN], ['\n,4', B_AFTER]] as const;
  const layout = { edgeFieldCount: 3, edgeTypeOffset: 0, edgeNameOffset: 1, edgeToNodeOffset: 2, edgeTypeNames: ['a', 'b'], nodeFieldCount: 1, nodeCount: 16 } as Layout;
  const columns = { types: new Uint8Array(8), namesOrIndexes: new Uint32Array(8), toNodes: new Uint32Array(8) };
  for (let round = 0; round < 32; round++) {
    for (const [text, state] of samples) {
      registers[R_STATE] = state;
      registers[R_COUNT] = 0;
      values[V_VALUE] = round & 1 ? 2 ** 40 : 3; // continued numbers can be doubles
      values[V_SCALE] = round & 1 ? 1e12 : 10;
      scanNumbersBackward(bytes(text), 0, text.length, scratch, registers, values);
    }
    scratch.set([1, 2, 1, 3, 4, 0]);
    demultiplexEdgesBackward(scratch, 6, layout, columns, 8);
  }
}
warmUp();

/**
 * Fed the bytes strictly between a ',' inside `edges` and the array's closing
 * ']', last chunk first. Every chunk must directly precede the one fed before it.
 */
export class EdgeTailParser {
  private readonly registers = new Int32Array(R_SIZE);
  private readonly values = new Float64Array(2);
  private scratch = new Float64Array(0);
  /** Numbers scanned but not yet written (a partial record), rightmost first. */
  private carry = 0;
  /** The lowest edgeIndex written so far. */
  private nextIndex: number;

  constructor(
    private readonly layout: Layout,
    private readonly columns: EdgeColumns,
  ) {
    this.nextIndex = layout.edgeCount;
    this.registers[R_STATE] = B_BEFORE;
  }

  /** Feeds the bytes just before everything fed so far. */
  writeBackward(buf: Uint8Array): void {
    const needed = this.carry + ((buf.length + 1) >> 1) + 1;
    if (this.scratch.length < needed) {
      const grown = new Float64Array(needed);
      grown.set(this.scratch.subarray(0, this.carry));
      this.scratch = grown;
    }
    this.registers[R_COUNT] = this.carry;
    const stoppedAt = scanNumbersBackward(buf, 0, buf.length, this.scratch, this.registers, this.values);
    if (stoppedAt > 0) throw new EdgeTailMismatch(`byte ${stoppedAt - 1} of the chunk is not part of a numbers array`);
    this.demultiplex(this.registers[R_COUNT]);
  }

  /** After the last (leftmost) chunk: the records written and the numbers left over. */
  end(): EdgeTail {
    const state = this.registers[R_STATE];
    if (state === B_BEFORE) throw new EdgeTailMismatch('the range starts with a comma');
    if (state === B_IN) {
      if (this.values[V_SCALE] > MAX_EXACT) throw new EdgeTailMismatch('a number too long to be exact');
      this.scratch[this.carry] = this.values[V_VALUE];
      this.demultiplex(this.carry + 1);
    }
    const leading = Array.from(this.scratch.subarray(0, this.carry)).reverse();
    return { records: this.layout.edgeCount - this.nextIndex, leading };
  }

  private demultiplex(n: number): void {
    const fieldCount = this.layout.edgeFieldCount;
    const whole = n - (n % fieldCount);
    const next = demultiplexEdgesBackward(this.scratch, whole, this.layout, this.columns, this.nextIndex);
    if (next < 0) throw new EdgeTailMismatch('a record that is not a valid edge, or more edges than edge_count');
    this.nextIndex = next;
    const scratch = this.scratch;
    for (let k = whole; k < n; k++) scratch[k - whole] = scratch[k];
    this.carry = n - whole;
  }
}
