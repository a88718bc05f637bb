import { R_CLOSED, R_COUNT, R_START, R_STATE } from './parserNumbers';
import { numberScannerWasm } from './numberScannerWasm';

/*
 * The parser's hot loop in WebAssembly (source: assembly/numberScanner.ts).
 * It reads 64 bytes at a time with SIMD, about twice as fast as the
 * byte-at-a-time JavaScript loop it replaced, and keeps that loop's contract:
 * the same registers, the same stop positions, so the same errors.
 */

// The module's memory below its own data: output values, then the input.
const SCRATCH_BYTES = 1 << 19;
const INPUT_AT = SCRATCH_BYTES;
/** The most input bytes one scan() takes; the rest of the memory is read-ahead room. */
export const SCAN_LIMIT = (1 << 20) - INPUT_AT - 256;

interface Exports {
  memory: WebAssembly.Memory;
  scan(i: number, end: number, out: number): number;
  state: WebAssembly.Global;
  start: WebAssembly.Global;
  count: WebAssembly.Global;
  closed: WebAssembly.Global;
  value: WebAssembly.Global;
}

let compiled: WebAssembly.Module | undefined;

export class NumberScanner {
  private readonly exports: Exports;
  private readonly input: Uint8Array;
  /** Where scan() puts the numbers (scratch[0..count)); numbers kept from before stay in place. */
  readonly scratch: Float64Array;

  constructor() {
    compiled ??= new WebAssembly.Module(numberScannerWasm);
    this.exports = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
    const buffer = this.exports.memory.buffer;
    this.scratch = new Float64Array(buffer, 0, SCRATCH_BYTES / 8);
    this.input = new Uint8Array(buffer, INPUT_AT, SCAN_LIMIT);
  }

  /**
   * Scans the numbers of buf[i..end), then of `then` if given (at most
   * SCAN_LIMIT bytes in all), on from the registers' state into scratch;
   * returns where it stopped, as an index into buf (past end: into `then`).
   */
  scan(buf: Uint8Array, i: number, end: number, registers: Int32Array, valueRegister: Float64Array, then?: Uint8Array): number {
    const { exports } = this;
    this.input.set(buf.subarray(i, end));
    if (then) {
      this.input.set(then, end - i);
      end += then.length;
    }
    exports.state.value = registers[R_STATE];
    exports.start.value = -1;
    exports.count.value = registers[R_COUNT];
    exports.value.value = valueRegister[0];
    const stop = exports.scan(INPUT_AT, INPUT_AT + end - i, 0) - INPUT_AT + i;
    const start = exports.start.value as number;
    registers[R_STATE] = exports.state.value as number;
    registers[R_START] = start >= 0 ? start - INPUT_AT + i : registers[R_START];
    registers[R_COUNT] = exports.count.value as number;
    registers[R_CLOSED] = exports.closed.value as number;
    valueRegister[0] = exports.value.value as number;
    return stop;
  }
}
