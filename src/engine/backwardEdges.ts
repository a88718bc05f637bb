import type { Layout } from './parserLayout';
import { A_AFTER, A_IN, A_NEXT, R_COUNT, R_SIZE, R_STATE, demultiplexEdges, type EdgeColumns } from './parserNumbers';
import { NumberScanner } from './numberScanner';

/*
 * The end of the `edges` array, read backwards by a second thread while the
 * SnapshotParser reads the file forwards (src/loading/ does the split).
 *
 * Why from the end: a thread that starts in the middle of the edges does not
 * know the index of the first edge it meets, but the last edge's index is
 * known from the header (edge_count - 1). So this parser is fed the range
 * last chunk first, and records are aligned from the array's closing ']'.
 * Each piece is scanned forwards, by the parser's own number scanner, from
 * just after its first ',' (the bytes before it wait for the piece to their
 * left), and its whole records go straight into the shared columns.
 *
 * It is an optimisation only: on anything unexpected it gives up (throws a
 * BackwardEdgesMismatch) and the forward parser reads that part itself, so
 * malformed input gets exactly the sequential parser's error message.
 */

export class BackwardEdgesMismatch extends Error {
  override name = 'BackwardEdgesMismatch';
}

/** What a BackwardEdgeParser produced: `records` whole records ending at edge_count - 1, and the numbers before them. */
export interface BackwardEdges {
  records: number;
  /** The first 0 … edgeFieldCount - 1 numbers of the range, in file order: the end of a record begun before it. */
  leading: number[];
  /** How many strings the records' names need (EdgeColumns.stringsNamed). */
  stringsNamed: number;
}

/** Pieces scanned at once: the scanner's scratch must hold their numbers. */
const PIECE_SIZE = 1 << 16;
/** Bytes without a ',' that the parser waits to join; more is not an edges array. */
const MAX_PENDING = 4096;

/**
 * Fed the bytes strictly between a ',' inside `edges` and the array's closing
 * ']', last chunk first. Every chunk must directly precede the one fed before it.
 */
export class BackwardEdgeParser {
  private readonly scanner = new NumberScanner();
  private readonly registers = new Int32Array(R_SIZE);
  private readonly value = new Float64Array(1);
  /** The bytes left of the last piece's first ',' (included), scanned with the piece left of them. */
  private pending: Uint8Array = new Uint8Array(0);
  /** Numbers scanned but not yet written (the end of a record begun further left), in file order. */
  private carry: number[] = [];
  /** The lowest edgeIndex written so far. */
  private nextIndex: number;

  constructor(
    private readonly layout: Layout,
    private readonly columns: EdgeColumns,
  ) {
    this.nextIndex = layout.edgeCount;
  }

  /** Feeds the bytes just before everything fed so far. */
  writeBackward(buf: Uint8Array): void {
    for (let right = buf.length; right > 0; right -= PIECE_SIZE) {
      const piece = buf.subarray(Math.max(0, right - PIECE_SIZE), right);
      const comma = piece.indexOf(0x2c);
      if (comma < 0) {
        if (piece.length + this.pending.length > MAX_PENDING) throw new BackwardEdgesMismatch(`${piece.length + this.pending.length} bytes without a ','`);
        this.pending = joined(piece, this.pending);
        continue;
      }
      this.scan(piece, comma + 1, this.pending);
      this.pending = piece.slice(0, comma + 1);
    }
  }

  /** After the last (leftmost) chunk: the records written and the numbers left over. */
  end(): BackwardEdges {
    if (this.pending.length > 0) this.scan(this.pending, 0, new Uint8Array(0));
    return { records: this.layout.edgeCount - this.nextIndex, leading: this.carry, stringsNamed: this.columns.stringsNamed[0] };
  }

  /**
   * Scans bytes[from..] then `pending` (from just after a ',', or from the
   * whole range's start) and writes its whole records.
   */
  private scan(bytes: Uint8Array, from: number, pending: Uint8Array): void {
    const { registers, scanner } = this;
    const rightmost = this.nextIndex === this.layout.edgeCount && this.carry.length === 0;
    registers[R_STATE] = A_NEXT;
    registers[R_COUNT] = 0;
    const stop = scanner.scan(bytes, from, bytes.length, registers, this.value, pending);
    if (stop !== bytes.length + pending.length) throw new BackwardEdgesMismatch(`byte ${stop} of a piece is not part of a numbers array`);
    let n = registers[R_COUNT];
    const state = registers[R_STATE];
    const scratch = scanner.scratch;
    if (rightmost && state === A_IN) scratch[n++] = this.value[0];
    // Left of what was scanned before there is a ','; at the range's end, a number (or spaces).
    else if (state !== (rightmost ? A_AFTER : A_NEXT)) throw new BackwardEdgesMismatch(rightmost ? 'the range ends in a comma' : 'the range starts with a comma');
    scratch.set(this.carry, n);
    const total = n + this.carry.length;
    const fieldCount = this.layout.edgeFieldCount;
    const lead = total % fieldCount;
    const first = this.nextIndex - (total - lead) / fieldCount;
    if (first < 0) throw new BackwardEdgesMismatch('more edges than edge_count');
    if (demultiplexEdges(scratch.subarray(lead, total), total - lead, this.layout, this.columns, first) !== this.nextIndex) {
      throw new BackwardEdgesMismatch('a record that is not a valid edge');
    }
    this.nextIndex = first;
    this.carry = Array.from(scratch.subarray(0, lead));
  }
}

function joined(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (right.length === 0) return left;
  const bytes = new Uint8Array(left.length + right.length);
  bytes.set(left);
  bytes.set(right, left.length);
  return bytes;
}
