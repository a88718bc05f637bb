/**
 * Where each number the parser scanned began, for error messages. Not
 * recorded while scanning (that costs ~10 %): recovered by rescanning the
 * slice, which only errors and the few numbers carried to the next slice
 * (the start of a record that slice did not complete) need.
 */
export class NumberOffsets {
  /** Byte offsets of the numbers carried into the current slice. */
  private carryStarts: Float64Array;
  // The slice just scanned, valid until forget().
  private buf: Uint8Array | undefined;
  private from = 0;
  private end = 0;
  private entryInNumber = false;
  private entryStart = 0;
  private carryIn = 0;
  private base = 0;

  /** `maxCarry`: the most numbers a slice may carry (the widest record's field count). */
  constructor(maxCarry = 64) {
    this.carryStarts = new Float64Array(maxCarry);
  }

  /**
   * The scanner just read buf[from..end) (whose byte 0 is at offset `base`)
   * into scratch[carryIn..]: `entryInNumber` when it began inside a number
   * that started at `entryStart`.
   */
  scanned(buf: Uint8Array, from: number, end: number, base: number, carryIn: number, entryInNumber: boolean, entryStart: number): void {
    this.buf = buf;
    this.from = from;
    this.end = end;
    this.base = base;
    this.carryIn = carryIn;
    this.entryInNumber = entryInNumber;
    this.entryStart = entryStart;
  }

  /** Byte offset where scratch number k of the slice just scanned began. */
  offsetOf(k: number): number {
    if (k < this.carryIn) return this.carryStarts[k];
    const buf = this.buf as Uint8Array;
    const end = this.end;
    let wanted = k - this.carryIn;
    let q = this.from;
    if (this.entryInNumber) {
      if (wanted === 0) return this.entryStart;
      while (q < end && buf[q] >= 0x30 && buf[q] <= 0x39) q++;
      wanted--;
    }
    for (; q < end; q++) {
      if (buf[q] >= 0x30 && buf[q] <= 0x39) {
        if (wanted === 0) return this.base + q;
        wanted--;
        while (q + 1 < end && buf[q + 1] >= 0x30 && buf[q + 1] <= 0x39) q++;
      }
    }
    return this.base + end;
  }

  /**
   * Keeps where the numbers scratch[used..n) began, for errors found when
   * their record completes in a later slice. Scans backwards from the end of
   * the slice, so the cost is the few bytes of those numbers.
   */
  carry(used: number, n: number, endsInNumber: boolean): void {
    const buf = this.buf as Uint8Array;
    const from = this.from;
    const starts = new Float64Array(n - used);
    let q = this.end - 1;
    if (endsInNumber) while (q >= from && buf[q] >= 0x30 && buf[q] <= 0x39) q--;
    for (let k = n - 1; k >= used; k--) {
      if (k < this.carryIn) {
        starts[k - used] = this.carryStarts[k];
        continue;
      }
      if (k === this.carryIn && this.entryInNumber) {
        starts[k - used] = this.entryStart;
        continue;
      }
      while (q >= from && !(buf[q] >= 0x30 && buf[q] <= 0x39)) q--;
      while (q >= from && buf[q] >= 0x30 && buf[q] <= 0x39) q--;
      starts[k - used] = this.base + q + 1;
    }
    this.carryStarts.set(starts);
  }

  /** The slice is done: drop the reference to its buffer. */
  forget(): void {
    this.buf = undefined;
  }
}
