import type { AllocationFunctions, AllocationTree, HeapSnapshotData, ParseProgress, SnapshotLocations, StringTable } from './snapshotData';
import { IncompleteSnapshotError, SnapshotFormatError, describeByte } from './snapshotFormatError';
import { ChunkEncoder } from './chunkEncoder';
import { countMismatch, countOf, edgeCountsMismatch, estimateSnapshotBytes, expectedInArray, missingSection, stringIndexTooHigh, unexpected, whyEdgeRefused, whyLocationRefused, whyNodeRefused } from './parserErrors';
import { StringTableBuilder, decodeJsonStringBytes, stringTableFromParts, type StringTableParts } from './stringTable';
import { readLayout, type Layout } from './parserLayout';
import { NumberScanner } from './numberScanner';
import { NumberOffsets } from './numberOffsets';
import { DEFAULT_TRACE_FUNCTION_INFO_FIELDS, DEFAULT_TRACE_NODE_FIELDS, decodeTraceFunctionInfos, decodeTraceTree } from './allocationTraceSections';
import type { BackwardEdges } from './backwardEdges';
import { DetachednessCollector } from './detachedness';
import {
  A_AFTER, A_ESCAPE, A_FIRST, A_IN, A_NEXT, A_OPEN, R_CLOSED, R_COUNT, R_SIZE, R_START, R_STATE,
  demultiplexEdges, demultiplexLocations, demultiplexNodes, type EdgeColumns, type NodeColumns,
} from './parserNumbers';

export { SnapshotFormatError } from './snapshotFormatError';

/*
 * A streaming parser for V8's `.heapsnapshot` JSON, fed chunk by chunk.
 *
 * Layout per DevTools' HeapSnapshotLoader: `snapshot` (meta + counts) first,
 * then flat integer arrays `nodes`, `edges`, optional `locations`,
 * `trace_function_infos` / `trace_tree` (captured, then decoded by
 * allocationTraceSections.ts: empty unless V8 recorded allocation stacks),
 * skipped `samples`, and `strings`. We accept
 * the sections in any order as long as `snapshot` precedes the arrays that
 * need its meta (DevTools requires that too).
 *
 * Why hand-written: the text does not fit one JS string above 512 MiB, and
 * generic JSON parsers allocate per value. Here bytes go straight into
 * preallocated typed arrays: the number scanner writes into a scratch array,
 * then a per-section loop demultiplexes whole records into columns.
 *
 * Two modes: a whole-snapshot parser (the default), and one started
 * `afterEdges` that reads only what follows the edges, for the second thread
 * of a two-thread read. Map of the class (each part opens with `// ---- name`):
 *   feeding ........... write(), end(): the one-pass parse
 *   two threads ....... edge columns a BackwardEdgeParser fills from the end
 *                       (backwardEdgesTarget, acceptBackwardEdges); the
 *                       `afterEdges` mode's result (endSectionsAfterEdges),
 *                       taken instead of reading (acceptSectionsAfterEdges)
 *   dispatch .......... consume(): 64 KiB slices, each to the current mode's loop
 *   top level ......... MODE_TOP: keys, ':' and ',' between the sections
 *   generic values .... MODE_SKIP: the "snapshot" header (captured, then
 *                       read by parserLayout.ts), the allocation traces
 *                       (captured, then decoded) and the sections not needed
 *   arrays of numbers . MODE_NUMBERS, the hot path: the WebAssembly scanner
 *                       (numberScanner.ts) fills a scratch array, whole
 *                       records go to columns (parserNumbers.ts)
 *   strings ........... MODE_STRINGS: raw bytes into a StringTableBuilder
 *   end of input ...... counts and string indexes checked, columns returned
 * Elsewhere: string chunks to UTF-8 (chunkEncoder.ts), the wording of errors
 * (parserErrors.ts), where a number began (numberOffsets.ts).
 */

const MODE_TOP = 0;
const MODE_NUMBERS = 1;
const MODE_STRINGS = 2;
const MODE_SKIP = 3;

// Top level: {"key": value, ...}
const T_START = 0;
const T_FIRST_KEY = 1;
const T_KEY = 2;
const T_IN_KEY = 3;
const T_COLON = 4;
const T_VALUE = 5;
const T_AFTER_MEMBER = 6;
const T_DONE = 7;

const SECTION_NODES = 0;
const SECTION_EDGES = 1;
const SECTION_LOCATIONS = 2;

const PROGRESS_INTERVAL = 16 << 20;
// At most 32 Ki numbers per slice: the scanner's scratch holds 64 Ki.
const SLICE_SIZE = 1 << 16;
const MAX_HEADER_BYTES = 64 << 20;
/** Allocation traces are kept as text until decoded; a tree this large would be a recording of hours. */
const MAX_TRACE_BYTES = 256 << 20;
export interface SnapshotParserOptions {
  /** Called when the section changes and every 16 MiB. */
  onProgress?: (progress: ParseProgress) => void;
  /**
   * Columns and strings in SharedArrayBuffers, so a BackwardEdgeParser in
   * another thread can fill the edges' end, and other threads can index the
   * parsed graph without a copy.
   */
  sharedEdges?: boolean;
  /**
   * Start just after the edges' closing ']' at byte `offset` (another thread
   * reads everything before): the input is the rest of the file, and
   * endSectionsAfterEdges() returns what it held for acceptSectionsAfterEdges().
   */
  afterEdges?: { layout: Layout; offset: number };
}

/** The sections after "edges", read by a parser started `afterEdges` (plain arrays: it crosses threads). */
export interface SectionsAfterEdges {
  /** Just after the edges' ']', where it started. */
  start: number;
  /** Just past the input's last byte. */
  end: number;
  /** The keys it read, in order, each with where its array ended (-1: not an array). */
  sections: Array<[key: string, arrayEnd: number]>;
  locations: SnapshotLocations;
  strings: StringTableParts;
  traceFunctions: AllocationFunctions | null;
  traceTree: AllocationTree | null;
}

/** Where a BackwardEdgeParser writes: available once the "snapshot" header was read. */
export interface BackwardEdgesTarget {
  layout: Layout;
  columns: EdgeColumns;
}

export class SnapshotParser {
  private readonly onProgress?: (progress: ParseProgress) => void;
  private readonly sharedEdges: boolean;
  /** Absolute byte offset of the current chunk's first byte. */
  private base = 0;
  private lastProgress = 0;
  private failure: SnapshotFormatError | undefined;
  private mode = MODE_TOP;
  private topState = T_START;
  private key: number[] = [];
  private keyEscape = false;
  private section = '';
  private readonly seen = new Set<string>();
  /** Where each section's value began, for the size estimate of an incomplete snapshot. */
  private readonly sectionStarts = new Map<string, number>();
  /** Where each array section ended, for count errors reported after the fact. */
  private readonly sectionEnds = new Map<string, number>();

  // Header and allocation trace capture / generic value skipping.
  private capture: Uint8Array[] | undefined;
  private captureLimit = MAX_HEADER_BYTES;
  private captureBytes = 0;
  private captureStart = 0;
  private skipStack: number[] = [];
  private skipInString = false;
  private skipEscape = false;
  private skipScalar = false;

  // Number arrays.
  private layout: Layout | undefined;
  private numberSection = SECTION_NODES;
  private arrayState = A_OPEN;
  private numberValue = 0;
  private numberStart = 0;
  /** Numbers scanned but not yet demultiplexed (a partial record at the end of a chunk). */
  private carry = 0;
  private readonly registers = new Int32Array(R_SIZE);
  private readonly valueRegister = new Float64Array(1);
  private readonly scanner = new NumberScanner();
  /** The scanner's output: scratch[0..carry) are numbers kept from the previous slice. */
  private readonly scratch = this.scanner.scratch;
  /** Where the scanned numbers began, for error messages. */
  private offsets = new NumberOffsets();

  // Columns.
  private nodeColumns: NodeColumns = { types: new Uint8Array(0), names: new Uint32Array(0), ids: new Uint32Array(0), selfSizes: new Uint32Array(0), firstEdgeIndexes: new Uint32Array(1), detachedness: new DetachednessCollector(), stringsNamed: new Float64Array(1) };
  private nodesParsed = 0;
  private edgeColumns: EdgeColumns = { types: new Uint8Array(0), namesOrIndexes: new Uint32Array(0), toNodes: new Uint32Array(0), stringsNamed: new Float64Array(1) };
  private edgesParsed = 0;
  private locationValues = new Uint32Array(0);
  private locationsParsed = 0;
  private traceFunctions: AllocationFunctions | null = null;
  private traceTree: AllocationTree | null = null;

  // Strings.
  private readonly strings: StringTableBuilder;
  /** The strings and locations a SectionsAfterEdges brought, instead of this parser's. */
  private adoptedStrings: StringTable | undefined;
  private adoptedLocations: SnapshotLocations | undefined;
  /** Where an `afterEdges` parser started (-1 for a whole-file parser). */
  private readonly afterEdgesStart: number = -1;

  /** String chunks (from the inspector) become UTF-8 here. */
  private readonly chunkEncoder = new ChunkEncoder();

  constructor(options: SnapshotParserOptions = {}) {
    this.onProgress = options.onProgress;
    this.sharedEdges = options.sharedEdges ?? false;
    this.strings = new StringTableBuilder(this.sharedEdges);
    if (options.afterEdges) {
      const { layout, offset } = options.afterEdges;
      this.layout = layout;
      this.offsets = new NumberOffsets(layout.locationFieldCount);
      this.base = offset;
      this.topState = T_AFTER_MEMBER;
      this.section = 'edges';
      for (const key of ['snapshot', 'nodes', 'edges']) this.seen.add(key);
      this.afterEdgesStart = offset;
    }
  }

  // ---- feeding: the one-pass parse --------------------------------------

  /** Feeds the next chunk: a string (CDP `addHeapSnapshotChunk`) or bytes (a file stream). */
  write(chunk: string | Uint8Array): void {
    if (this.failure) throw this.failure;
    try {
      if (typeof chunk !== 'string') {
        // A plain Uint8Array view of Node's Buffer keeps the hot loops' element loads monomorphic.
        this.consume(chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        return;
      }
      this.chunkEncoder.encode(chunk, (bytes) => this.consume(bytes));
    } catch (error) {
      if (error instanceof SnapshotFormatError) this.failure = error;
      throw error;
    }
  }

  /** The input is complete: checks it and returns the columns. */
  end(): HeapSnapshotData {
    if (this.failure) throw this.failure;
    try {
      return this.finish();
    } catch (error) {
      if (error instanceof SnapshotFormatError) this.failure = error;
      throw error;
    }
  }

  /** Has the snapshot's closing '}' been read (so end() needs no more input)? */
  get complete(): boolean {
    return this.topState === T_DONE && !this.failure;
  }

  // ---- two threads (see src/loading/) -------------------------------------

  /** Have all edge_count edges been read into the columns? */
  get edgesComplete(): boolean {
    return this.layout !== undefined && this.edgesParsed === this.layout.edgeCount;
  }

  /** The `id` column, once every node has been read (it does not change after that). */
  get nodeIdsRead(): Uint32Array | undefined {
    return this.layout !== undefined && this.nodesParsed === this.layout.nodeCount ? this.nodeColumns.ids : undefined;
  }

  /** The section being read, as ParseProgress names it, up to date after every write. */
  get currentSection(): string {
    return this.section || 'snapshot';
  }

  /** The layout and the edge columns, once the header was read (shared when `sharedEdges`). */
  get backwardEdgesTarget(): BackwardEdgesTarget | undefined {
    return this.layout && { layout: this.layout, columns: this.edgeColumns };
  }

  /**
   * Joins the end of "edges", read by a BackwardEdgeParser, to what this parser
   * read so far, which must end just after a ',' inside "edges". `resumeAt`
   * is the byte offset of the array's closing ']': the next chunk starts there.
   * Returns false and changes nothing when the two do not fit together; the
   * caller then feeds the skipped bytes as usual and this parser names any error.
   */
  acceptBackwardEdges(edges: BackwardEdges, resumeAt: number): boolean {
    const layout = this.layout;
    if (this.failure || !layout || this.mode !== MODE_NUMBERS || this.numberSection !== SECTION_EDGES || this.arrayState !== A_NEXT) return false;
    const fieldCount = layout.edgeFieldCount;
    const joined = this.carry + edges.leading.length;
    if (joined !== 0 && joined !== fieldCount) return false;
    if (this.edgesParsed + joined / fieldCount + edges.records !== layout.edgeCount) return false;
    if (joined === fieldCount) {
      // The record that straddles the split: its start carried here, its end read by the edges.
      const record = new Float64Array(fieldCount);
      record.set(this.scratch.subarray(0, this.carry));
      record.set(edges.leading, this.carry);
      if (demultiplexEdges(record, fieldCount, layout, this.edgeColumns, this.edgesParsed) < 0) return false;
    }
    const named = this.edgeColumns.stringsNamed;
    named[0] = Math.max(named[0], edges.stringsNamed);
    this.edgesParsed = layout.edgeCount;
    this.carry = 0;
    this.arrayState = A_AFTER;
    this.base = resumeAt;
    return true;
  }

  /** An `afterEdges` parser's input is complete: what it read, its arrays ready to transfer. */
  endSectionsAfterEdges(): SectionsAfterEdges {
    if (this.failure) throw this.failure;
    if (this.afterEdgesStart < 0) throw new Error('endSectionsAfterEdges() needs a parser started afterEdges');
    if (this.topState !== T_DONE) throw this.incomplete();
    const sections = [...this.seen].filter((key) => key !== 'snapshot' && key !== 'nodes' && key !== 'edges').map((key): [string, number] => [key, this.sectionEnds.get(key) ?? -1]);
    return {
      start: this.afterEdgesStart,
      end: this.base,
      sections,
      locations: this.splitLocations(),
      strings: this.strings.finishParts(),
      traceFunctions: this.traceFunctions,
      traceTree: this.traceTree,
    };
  }

  /**
   * Takes the rest of the file from a SectionsAfterEdges instead of reading it. This
   * parser must have just read the edges' closing ']' at `read.start - 1`.
   * Returns false and changes nothing when that does not hold or a section
   * would repeat; the caller then reads on as usual (and this parser names any error).
   */
  acceptSectionsAfterEdges(read: SectionsAfterEdges): boolean {
    const atEdgesEnd = this.mode === MODE_TOP && this.topState === T_AFTER_MEMBER && this.section === 'edges' && this.base === read.start && this.sectionEnds.get('edges') === read.start - 1;
    if (this.failure || !this.layout || !atEdgesEnd || this.chunkEncoder.pending || this.seen.has('locations') || this.seen.has('strings')) return false;
    if (read.sections.some(([key]) => this.seen.has(key))) return false;
    for (const [key, arrayEnd] of read.sections) {
      this.seen.add(key);
      if (arrayEnd >= 0) this.sectionEnds.set(key, arrayEnd);
      this.section = key;
    }
    this.adoptedLocations = read.locations;
    this.adoptedStrings = stringTableFromParts(read.strings);
    this.traceFunctions = read.traceFunctions;
    this.traceTree = read.traceTree;
    this.topState = T_DONE;
    this.base = read.end;
    if (this.onProgress) this.report();
    return true;
  }

  // ---- dispatch ---------------------------------------------------------

  private consume(buf: Uint8Array): void {
    const end = buf.length;
    let i = 0;
    while (i < end) {
      // 64 KiB slices keep the number scratch array small and in cache,
      // whatever chunk size the caller uses.
      const sliceEnd = Math.min(end, i + SLICE_SIZE);
      switch (this.mode) {
        case MODE_TOP: i = this.top(buf, i, sliceEnd); break;
        case MODE_NUMBERS: i = this.numbers(buf, i, sliceEnd); break;
        case MODE_STRINGS: i = this.stringArray(buf, i, sliceEnd); break;
        default: i = this.skip(buf, i, sliceEnd);
      }
    }
    this.base += end;
    if (this.onProgress && this.base - this.lastProgress >= PROGRESS_INTERVAL) this.report();
  }

  private report(bytes = this.base): void {
    this.lastProgress = bytes;
    this.onProgress?.({ bytes, section: this.section || 'snapshot' });
  }

  private enterSection(name: string, offset: number): void {
    this.section = name;
    this.sectionStarts.set(name, offset);
    if (this.onProgress) this.report(offset);
  }

  // ---- top level -------------------------------------------------------

  private top(buf: Uint8Array, i: number, end: number): number {
    for (; i < end; i++) {
      const c = buf[i];
      const state = this.topState;
      if (state === T_IN_KEY) {
        if (this.keyEscape) this.keyEscape = false;
        else if (c === 0x5c) this.keyEscape = true;
        else if (c === 0x22) {
          this.topState = T_COLON;
          continue;
        }
        if (this.key.length < 256) this.key.push(c);
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      switch (state) {
        case T_START:
          if (c !== 0x7b) this.fail(buf, i, "'{' (a heap snapshot is one JSON object)");
          this.topState = T_FIRST_KEY;
          break;
        case T_FIRST_KEY:
        case T_KEY:
          if (c === 0x7d && state === T_FIRST_KEY) this.topState = T_DONE;
          else if (c !== 0x22) this.fail(buf, i, state === T_FIRST_KEY ? "'\"' or '}'" : "'\"'");
          else {
            this.key = [];
            this.topState = T_IN_KEY;
          }
          break;
        case T_COLON:
          if (c !== 0x3a) this.fail(buf, i, "':'");
          this.topState = T_VALUE;
          break;
        case T_VALUE:
          this.topState = T_AFTER_MEMBER;
          this.beginValue(buf, i);
          return i;
        case T_AFTER_MEMBER:
          if (c === 0x2c) this.topState = T_KEY;
          else if (c === 0x7d) this.topState = T_DONE;
          else this.fail(buf, i, "',' or '}'");
          break;
        default:
          this.fail(buf, i, 'end of input after the closing \'}\'');
      }
    }
    return i;
  }

  private beginValue(buf: Uint8Array, i: number): void {
    const key = decodeJsonStringBytes(Uint8Array.from(this.key), 0, this.key.length);
    const known = key === 'snapshot' || key === 'nodes' || key === 'edges' || key === 'locations' || key === 'strings';
    if (known && this.seen.has(key)) this.fail(buf, i, `no second "${key}" section`);
    this.seen.add(key);
    if ((key === 'nodes' || key === 'edges' || key === 'locations') && !this.layout) {
      this.fail(buf, i, `the "snapshot" section (with meta and counts) before "${key}"`);
    }
    this.enterSection(key, this.base + i);
    this.arrayState = A_OPEN;
    switch (key) {
      case 'nodes':
      case 'edges':
      case 'locations':
        this.numberSection = key === 'nodes' ? SECTION_NODES : key === 'edges' ? SECTION_EDGES : SECTION_LOCATIONS;
        this.carry = 0;
        this.mode = MODE_NUMBERS;
        break;
      case 'strings':
        this.mode = MODE_STRINGS;
        break;
      case 'snapshot':
        this.startSkip(true, this.base + i, MAX_HEADER_BYTES);
        break;
      case 'trace_function_infos':
      case 'trace_tree':
        // Read only when the header says V8 recorded stacks: otherwise they are empty, and skipped as before.
        this.startSkip(this.recordsAllocations, this.base + i, MAX_TRACE_BYTES);
        break;
      default:
        this.startSkip(false, this.base + i);
    }
  }

  private fail(buf: Uint8Array, i: number, expected: string): never {
    const found = i < buf.length ? describeByte(buf[i]) : describeByte(undefined);
    throw this.error(this.base + i, expected, found);
  }

  private error(offset: number, expected: string, found: string): SnapshotFormatError {
    return unexpected(expected, this.section, offset, found);
  }

  // ---- generic values: `snapshot` and traces (captured), sections we skip --

  private get recordsAllocations(): boolean {
    return this.layout !== undefined && this.layout.nodeTraceNodeIdOffset >= 0;
  }

  private startSkip(captureIt: boolean, offset: number, limit = 0): void {
    this.mode = MODE_SKIP;
    this.capture = captureIt ? [] : undefined;
    this.captureLimit = limit;
    this.captureBytes = 0;
    this.captureStart = offset;
    this.skipStack = [];
    this.skipInString = false;
    this.skipEscape = false;
    this.skipScalar = false;
  }

  /**
   * Skips one JSON value, checking brackets nest and strings end; a scalar
   * ends at the ',' or '}' that follows it (left for the top level).
   */
  private skip(buf: Uint8Array, i: number, end: number): number {
    const from = i;
    let done = false;
    const stack = this.skipStack;
    for (; i < end; i++) {
      const c = buf[i];
      if (this.skipInString) {
        if (this.skipEscape) this.skipEscape = false;
        else if (c === 0x5c) this.skipEscape = true;
        else if (c === 0x22) {
          this.skipInString = false;
          if (stack.length === 0) {
            i++;
            done = true;
            break;
          }
        }
        continue;
      }
      if (c === 0x22) {
        if (this.skipScalar) this.fail(buf, i, "',' or '}'");
        this.skipInString = true;
      } else if (c === 0x5b || c === 0x7b) {
        if (this.skipScalar) this.fail(buf, i, "',' or '}'");
        if (stack.length >= 4096) this.fail(buf, i, 'at most 4096 nested arrays or objects');
        stack.push(c + 2); // the matching ']' or '}'
      } else if (c === 0x5d || c === 0x7d) {
        if (stack.length === 0) {
          if (!this.skipScalar) this.fail(buf, i, 'a JSON value');
          done = true;
          break;
        }
        if (stack.pop() !== c) this.fail(buf, i, `'${String.fromCharCode(c === 0x5d ? 0x7d : 0x5d)}'`);
        if (stack.length === 0) {
          i++;
          done = true;
          break;
        }
      } else if (stack.length === 0) {
        if (c === 0x2c) {
          if (!this.skipScalar) this.fail(buf, i, 'a JSON value');
          done = true;
          break;
        }
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (this.skipScalar) {
            done = true;
            break;
          }
        } else if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45) {
          this.skipScalar = true; // number, true, false, null
        } else {
          this.fail(buf, i, 'a JSON value');
        }
      }
    }
    if (this.capture) {
      this.captureBytes += i - from;
      if (this.captureBytes > this.captureLimit) this.fail(buf, i, `a "${this.section}" ${this.section === 'snapshot' ? 'header' : 'section'} smaller than ${this.captureLimit >> 20} MiB`);
      this.capture.push(buf.slice(from, i));
    }
    if (done) {
      this.mode = MODE_TOP;
      if (this.capture) this.readCaptured();
      this.capture = undefined;
    }
    return i;
  }

  private readCaptured(): void {
    const bytes = new Uint8Array(this.captureBytes);
    let at = 0;
    for (const part of this.capture ?? []) {
      bytes.set(part, at);
      at += part.length;
    }
    const offset = this.captureStart;
    if (this.section === 'trace_function_infos') this.traceFunctions = decodeTraceFunctionInfos(bytes, this.layout?.traceFunctionInfoFields ?? DEFAULT_TRACE_FUNCTION_INFO_FIELDS, offset);
    else if (this.section === 'trace_tree') this.traceTree = decodeTraceTree(bytes, this.layout?.traceNodeFields ?? DEFAULT_TRACE_NODE_FIELDS, offset);
    else this.readHeader(bytes, offset);
  }

  private readHeader(bytes: Uint8Array, offset: number): void {
    let header: unknown;
    try {
      header = JSON.parse(decodeJsonStringBytes(bytes, 0, bytes.length));
    } catch (error) {
      throw new SnapshotFormatError(`"snapshot" at byte ${offset} is not valid JSON (${(error as Error).message})`, offset, 'a JSON object');
    }
    this.layout = readLayout(header, offset);
    this.offsets = new NumberOffsets(Math.max(this.layout.nodeFieldCount, this.layout.edgeFieldCount, this.layout.locationFieldCount));
    this.allocate(this.layout);
  }

  private allocate(layout: Layout): void {
    const { nodeCount, edgeCount } = layout;
    const Memory = this.sharedEdges ? SharedArrayBuffer : ArrayBuffer;
    this.nodeColumns = {
      types: new Uint8Array(new Memory(nodeCount)),
      names: new Uint32Array(new Memory(nodeCount * 4)),
      ids: new Uint32Array(new Memory(nodeCount * 4)),
      selfSizes: new Uint32Array(new Memory(nodeCount * 4)),
      firstEdgeIndexes: new Uint32Array(new Memory((nodeCount + 1) * 4)),
      detachedness: new DetachednessCollector(),
      stringsNamed: new Float64Array(1),
    };
    this.edgeColumns = {
      types: new Uint8Array(new Memory(edgeCount)),
      namesOrIndexes: new Uint32Array(new Memory(edgeCount * 4)),
      toNodes: new Uint32Array(new Memory(edgeCount * 4)),
      // Its own register (not shared): a BackwardEdgeParser reports its own with its records.
      stringsNamed: new Float64Array(1),
    };
    if (layout.nodeTraceNodeIdOffset >= 0) this.nodeColumns.traceNodeIds = new Uint32Array(nodeCount);
  }

  /** Self sizes as 64-bit floats from now on, when `size` does not fit 32 bits; false when it does (the record was refused for another reason). */
  private widenSelfSizes(size: number): boolean {
    const columns = this.nodeColumns;
    if (!(size > 0xffffffff) || columns.selfSizes instanceof Float64Array) return false;
    const Memory = this.sharedEdges ? SharedArrayBuffer : ArrayBuffer;
    const wide = new Float64Array(new Memory(columns.selfSizes.length * 8));
    wide.set(columns.selfSizes);
    columns.selfSizes = wide;
    return true;
  }

  // ---- arrays of numbers: nodes, edges, locations -------------------------

  private numbers(buf: Uint8Array, i: number, end: number): number {
    const scratch = this.scratch;
    const from = i;
    const carryIn = this.carry;
    const entryInNumber = this.arrayState === A_IN;
    const entryStart = this.numberStart;
    const registers = this.registers;
    registers[R_STATE] = this.arrayState;
    this.valueRegister[0] = this.numberValue;
    registers[R_START] = -1;
    registers[R_COUNT] = carryIn;
    registers[R_CLOSED] = 0;
    i = this.scanner.scan(buf, i, end, registers, this.valueRegister);
    const state = registers[R_STATE];
    const value = this.valueRegister[0];
    const start = registers[R_START];
    const n = registers[R_COUNT];
    const closed = registers[R_CLOSED] === 1;
    this.arrayState = state;
    this.numberValue = value;
    // `start` is chunk-relative unless it still holds the entry number's absolute start.
    this.numberStart = state === A_IN && start >= 0 ? this.base + start : entryStart;
    const offsets = this.offsets;
    offsets.scanned(buf, from, i, this.base, carryIn, entryInNumber, entryStart);
    const used = this.demultiplex(n);
    const carry = n - used;
    offsets.carry(used, n, state === A_IN);
    for (let k = 0; k < carry; k++) scratch[k] = scratch[used + k];
    this.carry = carry;
    offsets.forget();
    if (closed) {
      this.closeNumbers(buf, i - 1);
    } else if (i < end) {
      this.fail(buf, i, expectedInArray(state, 'a digit'));
    }
    return i;
  }

  /** Moves whole records from the scratch array into columns; returns how many numbers it used. */
  private demultiplex(n: number): number {
    const layout = this.layout as Layout;
    const s = this.scratch;
    if (this.numberSection === SECTION_NODES) {
      const from = this.nodesParsed;
      let next = demultiplexNodes(s, n, layout, this.nodeColumns, from);
      // A size beyond 32 bits: widen the column once and write the slice again (the same values).
      if (next < 0 && this.widenSelfSizes(s[-1 - next + layout.nodeSelfSizeOffset])) next = demultiplexNodes(s, n, layout, this.nodeColumns, from);
      if (next < 0) this.failAtNumber(...whyNodeRefused(layout, s, -1 - next, from));
      this.nodesParsed = next;
      return (next - from) * layout.nodeFieldCount;
    }
    if (this.numberSection === SECTION_EDGES) {
      const from = this.edgesParsed;
      const next = demultiplexEdges(s, n, layout, this.edgeColumns, from);
      if (next < 0) this.failAtNumber(...whyEdgeRefused(layout, s, -1 - next, from));
      this.edgesParsed = next;
      return (next - from) * layout.edgeFieldCount;
    }
    return this.demultiplexLocations(layout, n);
  }

  private demultiplexLocations(layout: Layout, n: number): number {
    const records = Math.floor(n / layout.locationFieldCount);
    if ((this.locationsParsed + records) * 4 > this.locationValues.length) {
      const grown = new Uint32Array(Math.max(1024, (this.locationsParsed + records) * 8));
      grown.set(this.locationValues.subarray(0, this.locationsParsed * 4));
      this.locationValues = grown;
    }
    const from = this.locationsParsed;
    const next = demultiplexLocations(this.scratch, n, layout, this.locationValues, from);
    if (next < 0) this.failAtNumber(...whyLocationRefused(layout, -1 - next));
    this.locationsParsed = next;
    return (next - from) * layout.locationFieldCount;
  }

  private failAtNumber(k: number, expected: string): never {
    const offset = this.offsets.offsetOf(k);
    throw this.error(offset, expected, String(this.scratch[k]));
  }

  private closeNumbers(buf: Uint8Array, i: number): void {
    const layout = this.layout as Layout;
    this.sectionEnds.set(this.section, this.base + i);
    if (this.carry > 0) {
      const fields = this.numberSection === SECTION_NODES ? layout.nodeFieldCount : this.numberSection === SECTION_EDGES ? layout.edgeFieldCount : layout.locationFieldCount;
      this.fail(buf, i, `a multiple of ${fields} numbers (one record per ${fields})`);
    }
    this.mode = MODE_TOP;
  }

  // ---- strings ------------------------------------------------------------

  private stringArray(buf: Uint8Array, i: number, end: number): number {
    const strings = this.strings;
    let state = this.arrayState;
    for (; i < end; i++) {
      if (state === A_IN || state === A_ESCAPE) {
        // Find the closing quote, stepping over escapes; store the raw bytes.
        const from = i;
        for (; i < end; i++) {
          const c = buf[i];
          if (state === A_ESCAPE) state = A_IN;
          else if (c === 0x5c) state = A_ESCAPE;
          else if (c === 0x22) break;
        }
        if (i > from) strings.append(buf, from, i);
        if (i === end) break;
        strings.endString();
        state = A_AFTER;
        continue;
      }
      const c = buf[i];
      if (c === 0x22 && state !== A_AFTER && state !== A_OPEN) {
        strings.beginString();
        state = A_IN;
      } else if (c === 0x2c && state === A_AFTER) {
        state = A_NEXT;
      } else if (c === 0x5d && (state === A_AFTER || state === A_FIRST)) {
        this.arrayState = state;
        this.sectionEnds.set(this.section, this.base + i);
        this.mode = MODE_TOP;
        return i + 1;
      } else if (c === 0x5b && state === A_OPEN) {
        state = A_FIRST;
      } else if (c !== 0x0a && c !== 0x20 && c !== 0x0d && c !== 0x09) {
        this.arrayState = state;
        this.fail(buf, i, expectedInArray(state, "'\"'"));
      }
    }
    this.arrayState = state;
    return i;
  }

  // ---- end of input ---------------------------------------------------------

  private finish(): HeapSnapshotData {
    this.chunkEncoder.flush((bytes) => this.consume(bytes));
    const total = this.base;
    if (this.topState !== T_DONE) throw this.incomplete();
    for (const name of ['snapshot', 'nodes', 'edges', 'strings']) {
      if (!this.seen.has(name)) {
        this.section = '';
        throw missingSection(name, total);
      }
    }
    const layout = this.layout as Layout;
    const { nodeCount, edgeCount } = layout;
    if (this.nodesParsed !== nodeCount) throw countMismatch('nodes', nodeCount, this.nodesParsed, this.sectionEnds.get('nodes') ?? total);
    if (this.edgesParsed !== edgeCount) throw countMismatch('edges', edgeCount, this.edgesParsed, this.sectionEnds.get('edges') ?? total);
    const nodes = this.nodeColumns;
    const edges = this.edgeColumns;
    if (nodes.firstEdgeIndexes[nodeCount] !== edgeCount) throw edgeCountsMismatch(nodes.firstEdgeIndexes[nodeCount], edgeCount, this.sectionEnds.get('nodes') ?? total);
    const strings = this.adoptedStrings ?? this.strings.finish();
    this.checkStringIndexes(layout, strings.length);
    if (this.onProgress) this.report(total);
    return {
      nodeCount,
      edgeCount,
      nodeTypeNames: layout.nodeTypeNames,
      edgeTypeNames: layout.edgeTypeNames,
      nodeTypes: nodes.types,
      nodeNames: nodes.names,
      nodeIds: nodes.ids,
      nodeSelfSizes: nodes.selfSizes,
      firstEdgeIndexes: nodes.firstEdgeIndexes,
      nodeDetachedness: nodes.detachedness.list(),
      edgeTypes: edges.types,
      edgeNamesOrIndexes: edges.namesOrIndexes,
      edgeToNodes: edges.toNodes,
      locations: this.adoptedLocations ?? this.splitLocations(),
      strings,
      ...(this.recordsAllocations && {
        allocationTraces: { nodeTraceIds: nodes.traceNodeIds ?? new Uint32Array(nodeCount), functions: this.traceFunctions ?? NO_TRACE_FUNCTIONS, tree: this.traceTree ?? NO_TRACE_TREE },
      }),
    };
  }

  /**
   * Names are string indexes, except for `element` and `hidden` edges (plain
   * numbers). The demultiplexers kept how many strings the names need; only
   * when that is more than there are are the columns searched for the first
   * name past them, to say where it is.
   */
  private checkStringIndexes(layout: Layout, stringCount: number): void {
    const names = this.nodeColumns.names;
    if (this.nodeColumns.stringsNamed[0] > stringCount) {
      const badNode = firstNodeNameAtOrAbove(names, stringCount);
      throw stringIndexTooHigh('node', badNode, names[badNode], stringCount, this.sectionEnds.get('nodes') ?? this.base);
    }
    if (this.edgeColumns.stringsNamed[0] <= stringCount) return;
    const numbered = new Uint8Array(layout.edgeTypeNames.length);
    layout.edgeTypeNames.forEach((name, type) => (numbered[type] = name === 'element' || name === 'hidden' ? 1 : 0));
    const edgeNames = this.edgeColumns.namesOrIndexes;
    const badEdge = firstEdgeNameAtOrAbove(this.edgeColumns.types, edgeNames, numbered, stringCount);
    throw stringIndexTooHigh('edge', badEdge, edgeNames[badEdge], stringCount, this.sectionEnds.get('edges') ?? this.base);
  }

  private splitLocations(): SnapshotLocations {
    const count = this.locationsParsed;
    const values = this.locationValues;
    const columns = [new Uint32Array(count), new Uint32Array(count), new Uint32Array(count), new Uint32Array(count)];
    for (let i = 0, at = 0; i < count; i++) {
      columns[0][i] = values[at++];
      columns[1][i] = values[at++];
      columns[2][i] = values[at++];
      columns[3][i] = values[at++];
    }
    this.locationValues = new Uint32Array(0);
    return { count, nodeOrdinals: columns[0], scriptIds: columns[1], lines: columns[2], columns: columns[3] };
  }

  /** The input ended inside the snapshot: where, and how much a whole one would take. */
  private incomplete(): IncompleteSnapshotError {
    const { layout, section, mode } = this;
    const afterEdges = this.afterEdgesStart >= 0;
    const where =
      mode === MODE_SKIP && section === 'snapshot' ? 'in the "snapshot" header' :
      mode !== MODE_TOP ? `in "${section}"` :
      section ? `after "${section}"` : '';
    const complete = layout !== undefined && (afterEdges || (this.nodesParsed === layout.nodeCount && this.edgesParsed === layout.edgeCount));
    const onlyClosingBraceMissing = complete && mode === MODE_TOP && this.topState === T_AFTER_MEMBER && ['snapshot', 'nodes', 'edges', 'strings'].every((key) => this.seen.has(key));
    const estimatedBytes = layout && estimateSnapshotBytes({
      layout,
      endsAt: this.base,
      inArray: mode === MODE_NUMBERS || mode === MODE_STRINGS ? section : '',
      sectionStarts: this.sectionStarts,
      sectionEnds: this.sectionEnds,
      // An `afterEdges` parser starts where the other thread read all the nodes and edges.
      nodes: afterEdges ? layout.nodeCount : this.nodesParsed,
      edges: afterEdges ? layout.edgeCount : this.edgesParsed,
      locations: this.locationsParsed,
      strings: this.strings.length,
      stringsNamed: afterEdges ? 0 : Math.max(this.nodeColumns.stringsNamed[0], this.edgeColumns.stringsNamed[0]),
      closures: afterEdges ? 0 : countOf(this.nodeColumns.types, this.nodesParsed, layout.nodeTypeNames.indexOf('closure')),
    });
    return new IncompleteSnapshotError({ endsAt: this.base, where, onlyClosingBraceMissing, estimatedBytes }, this.expectedAtEnd());
  }

  private expectedAtEnd(): string {
    switch (this.mode) {
      case MODE_NUMBERS:
        return expectedInArray(this.arrayState, 'a digit');
      case MODE_STRINGS:
        return this.arrayState === A_IN || this.arrayState === A_ESCAPE ? "the closing '\"' of a string" : expectedInArray(this.arrayState, "'\"'");
      case MODE_SKIP:
        return this.skipInString ? "the closing '\"' of a string" : 'the end of the value';
    }
    switch (this.topState) {
      case T_START: return "'{' (a heap snapshot is one JSON object)";
      case T_FIRST_KEY: return "'\"' or '}'";
      case T_KEY:
      case T_IN_KEY: return "'\"'";
      case T_COLON: return "':'";
      case T_VALUE: return 'a JSON value';
      default: return "',' or '}'";
    }
  }
}

const NO_TRACE_FUNCTIONS: AllocationFunctions = { count: 0, names: new Uint32Array(0), scriptNames: new Uint32Array(0), scriptIds: new Uint32Array(0), lines: new Uint32Array(0), columns: new Uint32Array(0) };
const NO_TRACE_TREE: AllocationTree = { count: 0, ids: new Uint32Array(0), functionIndexes: new Uint32Array(0), parents: new Int32Array(0), counts: new Float64Array(0), sizes: new Float64Array(0) };

/*
 * The string-index checks are one loop per plain function: with both loops in
 * one method, V8 optimized the first by on-stack replacement, then threw that
 * code away on leaving the loop (no type feedback for what followed) and ran
 * the second loop unoptimized until the next on-stack replacement.
 */
function firstNodeNameAtOrAbove(names: Uint32Array, stringCount: number): number {
  for (let ordinal = 0; ordinal < names.length; ordinal++) {
    if (names[ordinal] >= stringCount) return ordinal;
  }
  return -1;
}

function firstEdgeNameAtOrAbove(types: Uint8Array, names: Uint32Array, numbered: Uint8Array, stringCount: number): number {
  for (let edgeIndex = 0; edgeIndex < names.length; edgeIndex++) {
    if (names[edgeIndex] >= stringCount && numbered[types[edgeIndex]] === 0) return edgeIndex;
  }
  return -1;
}
