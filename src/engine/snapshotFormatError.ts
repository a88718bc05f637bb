/**
 * The input is not a well-formed V8 heap snapshot. The message says what was
 * expected and at which byte, so a user can tell a truncated download from a
 * file that was never a snapshot.
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
