/**
 * The input is not a well-formed V8 heap snapshot. The message says what was
 * expected and at which byte, so a user can tell a truncated download from a
 * file that was never a snapshot (an input that ended early is an
 * IncompleteSnapshotError, below).
 */
export class SnapshotFormatError extends Error {
  /** Byte offset in the input (UTF-8 bytes, as in the file) where parsing failed. */
  readonly offset: number;
  /** What the parser expected there, e.g. `a digit or ']'`. */
  readonly expected: string;
  /** What went wrong, without the source prefix (for callers that word the source themselves). */
  readonly reason: string;

  constructor(reason: string, offset: number, expected: string, source?: string) {
    super(source === undefined ? reason : `${source}: ${reason}`);
    this.name = 'SnapshotFormatError';
    this.offset = offset;
    this.expected = expected;
    this.reason = reason;
  }

  /** The same error, its message prefixed with where the input came from (a file path). */
  withSource(source: string): SnapshotFormatError {
    const error = new SnapshotFormatError(this.reason, this.offset, this.expected, source);
    error.stack = this.stack;
    return error;
  }
}

/** `'x'` for printable ASCII, else the byte in hex; for error messages. */
export function describeByte(byte: number | undefined): string {
  if (byte === undefined) return 'end of input';
  if (byte >= 0x21 && byte <= 0x7e) return `'${String.fromCharCode(byte)}'`;
  if (byte === 0x20) return 'a space';
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

/** What is known of an input that ended before the snapshot did. */
export interface Incompleteness {
  /** Bytes of snapshot text the input held. */
  endsAt: number;
  /** Where it ends: `in "edges"`, `after "nodes"`, `in the "snapshot" header`, or '' (before any section). */
  where: string;
  /** Everything was read but the closing '}' of the snapshot's one object. */
  onlyClosingBraceMissing: boolean;
  /** Roughly what a whole snapshot with this header's counts takes, in bytes; undefined before the header was read. */
  estimatedBytes: number | undefined;
}

/**
 * What the incomplete text came in: a snapshot stream (the default), a file,
 * a gzip file whose snapshot text ends early, or one whose gzip data does.
 */
export type IncompleteInput = 'snapshot' | 'file' | 'gzip file' | 'cut gzip file';

/**
 * The input ended early: said as a truncated file rather than as the byte the
 * parser expected next, with what a whole snapshot of this header's size
 * would take, so the user sees how much is missing.
 */
export class IncompleteSnapshotError extends SnapshotFormatError {
  constructor(
    readonly incompleteness: Incompleteness,
    expected: string,
    readonly input: IncompleteInput = 'snapshot',
    source?: string,
  ) {
    super(describeIncomplete(incompleteness, input), incompleteness.endsAt, expected, source);
    this.name = 'IncompleteSnapshotError';
  }

  /** The same facts said of what the text came in (a gzip file, …). */
  cameIn(input: IncompleteInput): IncompleteSnapshotError {
    const error = new IncompleteSnapshotError(this.incompleteness, this.expected, input);
    error.stack = this.stack;
    return error;
  }

  /** The same facts said of the file at `source` (a gzip file if cameIn() said so). */
  override withSource(source: string): IncompleteSnapshotError {
    const error = new IncompleteSnapshotError(this.incompleteness, this.expected, this.input === 'snapshot' ? 'file' : this.input, source);
    error.stack = this.stack;
    return error;
  }
}

function describeIncomplete({ endsAt, where, onlyClosingBraceMissing, estimatedBytes }: Incompleteness, input: IncompleteInput): string {
  const subject = input === 'snapshot' ? 'the snapshot' : 'the file';
  const gzip = input === 'gzip file' || input === 'cut gzip file';
  if (endsAt === 0 && !gzip) return `${subject} is empty`;
  const cut = input === 'cut gzip file' ? 'the gzip data ends early, and ' : '';
  const text = gzip ? 'the snapshot in it' : 'it';
  if (onlyClosingBraceMissing) return `${subject} is incomplete (${cut}${text} ends at byte ${endsAt}, where only the final '}' is missing)`;
  const place = where ? `, ${where}` : '';
  const estimate = estimatedBytes === undefined ? '' : `; a snapshot of this header's size is about ${sizeText(estimatedBytes)}${gzip ? ' uncompressed' : ''}`;
  return `${subject} is incomplete (${cut}${text} ends at byte ${endsAt}${place}${estimate})`;
}

/** 114 MB, 1.2 GB, 52 KB, 900 bytes: three significant digits at most. */
function sizeText(bytes: number): string {
  const [unit, scale] = bytes >= 1e9 ? ['GB', 1e9] : bytes >= 1e6 ? ['MB', 1e6] : bytes >= 1e3 ? ['KB', 1e3] : ['bytes', 1];
  return `${Number((bytes / scale).toPrecision(3))} ${unit}`;
}
