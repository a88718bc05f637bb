// The WebAssembly number scanner against a plain byte-at-a-time reference
// written here from the JSON grammar: random arrays of numbers (1 to 20
// digits, V8's "\n," between records, now and then a stray byte) cut into
// random slices must give the same numbers, stop positions and registers.
// Also: the committed module is what the AssemblyScript source compiles to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NumberScanner, SCAN_LIMIT } from '../../src/engine/numberScanner';
import { A_AFTER, A_FIRST, A_IN, A_NEXT, A_OPEN, R_CLOSED, R_COUNT, R_SIZE, R_START, R_STATE } from '../../src/engine/parserNumbers';

interface Registers { state: number; value: number; start: number; count: number; closed: number }

/** The grammar, one byte at a time. Returns where it stopped. */
function referenceScan(buf: Uint8Array, i: number, end: number, r: Registers, out: number[]): number {
  r.closed = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c >= 0x30 && c <= 0x39) {
      if (r.state === A_IN) {
        r.value = r.value * 10 + (c - 0x30);
        continue;
      }
      if (r.state === A_AFTER || r.state === A_OPEN) return i;
      r.state = A_IN;
      r.value = c - 0x30;
      r.start = i;
      continue;
    }
    if (r.state === A_IN) {
      out[r.count++] = r.value;
      r.state = A_AFTER;
    }
    if (c === 0x2c) {
      if (r.state !== A_AFTER) return i;
      r.state = A_NEXT;
    } else if (c === 0x5d) {
      if (r.state === A_NEXT || r.state === A_OPEN) return i;
      r.closed = 1;
      return i + 1;
    } else if (c === 0x5b && r.state === A_OPEN) {
      r.state = A_FIRST;
    } else if (c !== 0x0a && c !== 0x20 && c !== 0x0d && c !== 0x09) {
      return i;
    }
  }
  return i;
}

function randomArray(random: () => number): string {
  const count = 1 + Math.floor(random() * 2000);
  let text = random() < 0.8 ? '[' : '';
  for (let k = 0; k < count; k++) {
    const digits = random() < 0.9 ? 1 + Math.floor(random() * 8) : 1 + Math.floor(random() * 20);
    let number = String(1 + Math.floor(random() * 9));
    for (let d = 1; d < digits; d++) number += String(Math.floor(random() * 10));
    if (random() < 0.01) number = '0';
    text += number;
    if (k + 1 < count) text += random() < 0.2 ? '\n,' : ',';
  }
  if (random() < 0.8) text += ']';
  const strays = random() < 0.3 ? 1 + Math.floor(random() * 3) : 0;
  for (let s = 0; s < strays; s++) {
    const at = Math.floor(random() * text.length);
    text = text.slice(0, at) + ' \n\r\t,[]x-.0"'[Math.floor(random() * 12)] + text.slice(at + Math.floor(random() * 2));
  }
  return text;
}

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the scanner reads random arrays of numbers, cut anywhere, exactly as the byte-at-a-time grammar does', () => {
  const scanner = new NumberScanner();
  const random = seeded(20261122);
  let slices = 0;
  for (let round = 0; round < 2000; round++) {
    const text = randomArray(random);
    const buf = new TextEncoder().encode(text);
    const start = random() < 0.2 ? A_NEXT : A_OPEN;
    const registers = new Int32Array(R_SIZE);
    const valueRegister = new Float64Array(1);
    registers[R_STATE] = start;
    const expected: Registers = { state: start, value: 0, start: -1, count: 0, closed: 0 };
    let i = 0;
    while (i < buf.length) {
      const size = random() < 0.8 ? 1 + Math.floor(random() * 300) : 1 + Math.floor(random() * SCAN_LIMIT);
      const end = Math.min(buf.length, i + size);
      registers[R_COUNT] = 0;
      registers[R_START] = -1;
      expected.count = 0;
      expected.start = -1;
      const out: number[] = [];
      const stop = referenceScan(buf, i, end, expected, out);
      const got = scanner.scan(buf, i, end, registers, valueRegister);
      const where = (): string => `round ${round}, slice ${i}..${end} of ${JSON.stringify(text.length > 400 ? `${text.slice(0, 400)}…` : text)}`;
      const numbers = Array.from(scanner.scratch.subarray(0, registers[R_COUNT]));
      const same = got === stop && registers[R_STATE] === expected.state && registers[R_CLOSED] === expected.closed
        && numbers.length === out.length && numbers.every((n, k) => n === out[k])
        && (expected.state !== A_IN || (valueRegister[0] === expected.value && registers[R_START] === expected.start));
      if (!same) {
        assert.deepEqual(
          { stop: got, state: registers[R_STATE], closed: registers[R_CLOSED], numbers, value: valueRegister[0], start: registers[R_START] },
          { stop, state: expected.state, closed: expected.closed, numbers: out, value: expected.value, start: expected.start },
          where(),
        );
      }
      slices++;
      if (stop !== end) break;
      i = stop;
    }
  }
  assert.ok(slices > 5000, `only ${slices} slices were compared`);
});

test('numbers up to 15 digits are exact, and longer ones are what the grammar computes in doubles', () => {
  const numbers = ['0', '7', '12345678', '123456789', '999999999999999', '1234567890123456', '98765432109876543210'];
  const text = `[${Array.from({ length: 40 }, (_, k) => numbers[k % numbers.length]).join(',')}]`;
  const buf = new TextEncoder().encode(text);
  const scanner = new NumberScanner();
  const registers = new Int32Array(R_SIZE);
  registers[R_STATE] = A_OPEN;
  const stop = scanner.scan(buf, 0, buf.length, registers, new Float64Array(1));
  assert.equal(stop, buf.length);
  assert.equal(registers[R_CLOSED], 1);
  const expected: number[] = [];
  referenceScan(buf, 0, buf.length, { state: A_OPEN, value: 0, start: -1, count: 0, closed: 0 }, expected);
  assert.deepEqual(Array.from(scanner.scratch.subarray(0, registers[R_COUNT])), expected);
  assert.equal(expected[4], 999999999999999);
});

test('src/engine/numberScannerWasm.ts is what scripts/buildWasm.mjs makes of the AssemblyScript source', () => {
  const root = join(__dirname, '..', '..');
  // In a plain node: the compiler loaded through tsx takes seconds longer.
  const compiled = execFileSync(process.execPath, [join(root, 'scripts', 'buildWasm.mjs'), '--print'], { encoding: 'utf8' });
  const committed = readFileSync(join(root, 'src', 'engine', 'numberScannerWasm.ts'), 'utf8');
  assert.equal(committed, compiled, 'run node scripts/buildWasm.mjs (npm run build does) and commit the result');
});
