// AssemblyScript, compiled to WebAssembly by scripts/buildWasm.mjs into
// ../numberScannerWasm.ts. The parser's hot loop: JSON arrays of numbers
// (`nodes`, `edges`, `locations`) scanned into f64 values. It follows the
// array grammar exactly as the byte-at-a-time loop it replaced did, so the
// parser's error messages do not change; what is new is the hot path, which
// reads 64 bytes at a time and finds numbers from bit masks (simdjson's way),
// so finding the next number does not wait for this one's value.
//
// Memory: the caller copies input into memory and gives the address of the
// output values (see numberScanner.ts). Registers are the globals below.

// Array states, as in parserNumbers.ts.
const A_OPEN = 0; // before '['
const A_FIRST = 1; // after '[': a value or ']'
const A_IN = 2; // inside a number
const A_AFTER = 3; // after a value: ',' or ']'
const A_NEXT = 4; // after ',': a value

export let state: i32 = A_OPEN;
/** Where the number in progress began, when the scan ends inside one. */
export let start: i32 = -1;
/** Values in the output. */
export let count: i32 = 0;
/** 1 when the scan ended after the array's ']'. */
export let closed: i32 = 0;
/** The digits so far of a number the input ended in. */
export let value: f64 = 0;

// @ts-ignore: decorator (AssemblyScript inlines these)
@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

// Bit k set where byte k of the 16 bytes at p is an ASCII digit.
// @ts-ignore: decorator (AssemblyScript inlines these)
@inline function digitMask16(p: u32): u64 {
  return <u64>i8x16.bitmask(i8x16.lt_u(i8x16.sub(v128.load(p), i8x16.splat(0x30)), i8x16.splat(10)));
}

// Bit k set where byte k of the 16 bytes at p is `byte`.
// @ts-ignore: decorator (AssemblyScript inlines these)
@inline function byteMask16(p: u32, byte: i8): u64 {
  return <u64>i8x16.bitmask(i8x16.eq(v128.load(p), i8x16.splat(byte)));
}

// @ts-ignore: decorator (AssemblyScript inlines these)
@inline function digitMask64(p: u32): u64 {
  return digitMask16(p) | (digitMask16(p + 16) << 16) | (digitMask16(p + 32) << 32) | (digitMask16(p + 48) << 48);
}

// @ts-ignore: decorator (AssemblyScript inlines these)
@inline function byteMask64(p: u32, byte: i8): u64 {
  return byteMask16(p, byte) | (byteMask16(p + 16, byte) << 16) | (byteMask16(p + 32, byte) << 32) | (byteMask16(p + 48, byte) << 48);
}

// The value of the len (1..8) ASCII digits that end just before p: eight
// digits combined in three multiplications (Lemire's SWAR), the bytes before
// the number masked to zeros.
// @ts-ignore: decorator (AssemblyScript inlines these)
@inline function digitsBefore(p: u32, len: u32): u64 {
  const leading = <u64>(8 - len) << 3;
  let v = load<u64>(p - 8) & (0xFFFFFFFFFFFFFFFF << leading);
  v = ((v & 0x0F0F0F0F0F0F0F0F) * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FF) * 6553601) >> 16;
  return ((v & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;
}

/**
 * Scans JSON numbers of an array from i to end into f64s at out, following
 * the array grammar. Stops after the closing ']' (closed = 1), at a byte that
 * does not fit (returns its address), or at end.
 */
export function scan(i: u32, end: u32, out: u32): u32 {
  let st = state;
  let val = value;
  let numberStart = start;
  let n = count;
  closed = 0;
  // A 64-byte window starts at least 80 bytes before end, so it reads only input.
  const windowEnd: i32 = <i32>end - 80;
  while (i < end) {
    let c: u32 = load<u8>(i);
    if (isDigit(c)) {
      if (st == A_IN) {
        // Rare: the digits continue a number begun in the previous slice.
        val = val * 10 + <f64>(c - 0x30);
        while (++i < end) {
          c = load<u8>(i);
          if (!isDigit(c)) break;
          val = val * 10 + <f64>(c - 0x30);
        }
        if (i == end) break;
        store<f64>(out + (<u32>n << 3), val);
        n++;
      } else {
        if (st == A_AFTER || st == A_OPEN) break;
        let atSeparator = false;
        // The hot path: 64 bytes at a time, numbers separated by ',' or V8's "\n,".
        while (<i32>i <= windowEnd) {
          const D = digitMask64(i);
          const C = byteMask64(i, 0x2C);
          const N = byteMask64(i, 0x0A);
          const M = ~D;
          let ends = M & (D << 1); // the byte after each number
          if (ends == 0) break; // a number of 64+ digits
          const lastEnd = <u32>(63 - clz(ends));
          const starts = D & ~(D << 1); // i itself is a digit
          const startsAfter = starts & ~((<u64>2 << lastEnd) - 1);
          const nextStart = <u32>ctz(startsAfter);
          // Up to the next number (or before lastEnd, which the code below
          // reads): only ',' and "\n," between runs of digits.
          const region = startsAfter != 0 ? (<u64>2 << nextStart) - 1 : (<u64>1 << lastEnd) - 1;
          const bad = ((M & ~(C | N)) | ((N << 1) & ~C) | ((C << 1) & ~D) | (C & ~((D | N) << 1))) & region;
          if (bad != 0) break;
          const first = n;
          let s = starts;
          let longest: u32 = 0;
          while (ends != 0) {
            const e = <u32>ctz(ends);
            const len = e - <u32>ctz(s);
            ends &= ends - 1;
            s &= s - 1;
            longest = max(longest, len);
            store<f64>(out + (<u32>n << 3), <f64>digitsBefore(i + e, min(len, 8)));
            n++;
          }
          if (longest > 8) {
            // Rare: numbers of 9 to 15 digits get their leading digits too;
            // 16 or more are left to the byte-at-a-time loop (as doubles).
            if (longest > 15) {
              n = first;
              break;
            }
            ends = M & (D << 1);
            s = starts;
            for (let k = first; ends != 0; k++) {
              const e = <u32>ctz(ends);
              const len = e - <u32>ctz(s);
              ends &= ends - 1;
              s &= s - 1;
              if (len > 8) store<f64>(out + (<u32>k << 3), <f64>(digitsBefore(i + e - 8, len - 8) * 100000000 + digitsBefore(i + e, 8)));
            }
          }
          if (startsAfter == 0) {
            i += lastEnd;
            c = load<u8>(i);
            atSeparator = true;
            break;
          }
          i += nextStart;
        }
        if (!atSeparator) {
          // Near the end of the input or after something unusual: a byte at a
          // time, runs of digits separated by single commas.
          c = load<u8>(i);
          let ended = false;
          for (;;) {
            numberStart = <i32>i;
            let digits = <f64>(c - 0x30);
            while (++i < end) {
              c = load<u8>(i);
              if (!isDigit(c)) break;
              digits = digits * 10 + <f64>(c - 0x30);
            }
            if (i == end) {
              val = digits;
              ended = true;
              break;
            }
            store<f64>(out + (<u32>n << 3), digits);
            n++;
            if (c != 0x2C || i + 1 == end) break;
            const next: u32 = load<u8>(i + 1);
            if (!isDigit(next)) break;
            i++;
            c = next;
          }
          if (ended) {
            st = A_IN;
            break;
          }
        }
      }
      st = A_AFTER;
    } else if (st == A_IN) {
      // A number continued from the previous slice ends here.
      store<f64>(out + (<u32>n << 3), val);
      n++;
      st = A_AFTER;
    }
    if (c == 0x2C) {
      if (st != A_AFTER) break;
      st = A_NEXT;
    } else if (c == 0x5D) {
      if (st == A_NEXT || st == A_OPEN) break;
      closed = 1;
      i++;
      break;
    } else if (c == 0x5B && st == A_OPEN) {
      st = A_FIRST;
    } else if (c != 0x0A && c != 0x20 && c != 0x0D && c != 0x09) {
      break;
    }
    i++;
  }
  state = st;
  value = val;
  start = numberStart;
  count = n;
  return i;
}
