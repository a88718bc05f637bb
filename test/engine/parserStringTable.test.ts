import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringTableBuilder, decodeJsonStringBytes } from '../../src/engine/stringTable';

/** The bytes the parser stores for a string: its JSON escape, UTF-8 encoded, without quotes. */
function stored(value: string): Uint8Array {
  return Buffer.from(JSON.stringify(value).slice(1, -1), 'utf8');
}

test('strings spanning many blocks, moved mid-write and larger than a block, come back intact', () => {
  const values: string[] = [];
  for (let i = 0; i < 40000; i++) values.push(i % 1000 === 0 ? `${'é'.repeat(i % 7)}${'x'.repeat(3000)}${i}` : `name ${i} "q" \\ ${'😀'.repeat(i % 3)}`);
  values.splice(20000, 0, '', 'big:'.repeat(3 << 20), ''); // 12 MiB: bigger than the blocks around it
  const builder = new StringTableBuilder();
  let seed = 7;
  for (const value of values) {
    const bytes = stored(value);
    builder.beginString();
    // Feed each string in a few pieces, as chunk boundaries would.
    for (let at = 0; at < bytes.length; ) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const to = Math.min(bytes.length, at + 1 + (seed % 5000));
      builder.append(bytes, at, to);
      at = to;
    }
    builder.endString();
  }
  assert.ok(builder.byteLength > 8 << 20, 'the test crosses several blocks');
  const table = builder.finish();
  assert.equal(table.length, values.length);
  for (let i = 0; i < values.length; i++) {
    if (table.get(i) !== values[i]) assert.equal(table.get(i), values[i], `string ${i}`);
  }
  // Cached and uncached reads agree.
  assert.equal(table.get(20001), values[20001]);
  assert.throws(() => table.get(values.length), RangeError);
  assert.throws(() => table.get(-1), RangeError);
});

test('decoding follows JSON: escapes, raw UTF-8, lone surrogates; malformed UTF-8 becomes U+FFFD', () => {
  for (const value of ['', 'plain', 'tab\there', '\u0000\u001f', 'quote " and \\ and /', 'é中😀', '\ud800 lone', 'low \udc00', 'x'.repeat(10000)]) {
    const bytes = stored(value);
    assert.equal(decodeJsonStringBytes(bytes, 0, bytes.length), value);
  }
  const escapedSlash = Buffer.from('a\\/b\\u00e9\\u00E9');
  assert.equal(decodeJsonStringBytes(escapedSlash, 0, escapedSlash.length), 'a/béé');
  for (const malformed of [[0x61, 0xc3, 0x62, 0xff, 0xe2, 0x82], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80, 0x41], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0xc0, 0xaf]]) {
    const bytes = Uint8Array.from(malformed);
    assert.equal(decodeJsonStringBytes(bytes, 0, bytes.length), new TextDecoder().decode(bytes), malformed.join(' '));
  }
});

test('the ids WeakMap entries\' names give are noted as strings are stored, as the pattern DevTools uses reads them', () => {
  const names = [
    '3 / part of key (Object @7) -> value (Linter @9) pair in WeakMap (table @5)',
    // Names are any text: quotes, a backslash, non-ASCII, an '@' of their own, split across chunks below.
    '12 / part of key (system / Context @1234) -> value ("quoted" \\ ünïcode @56 @78) pair in WeakMap (table @91011)',
    '1 / part of key ( @2) -> value ( @4294967295) pair in WeakMap (table @3)',
    // A key name that looks like the rest: the first ` @K) -> value (` is the key's, the last ` @V)` the value's.
    '4 / part of key (A @1) -> value (B @2) @3) -> value (C @4) pair in WeakMap (table @6)',
    '9 / part of key (A @x) -> value (B @1) @2) -> value (C @3) pair in WeakMap (table @4)',
    // Look-alikes: no count, no value id, a table id that is not one, no value part, another edge.
    'part of key (Object @7) -> value (Linter @9) pair in WeakMap (table @5)',
    '3 / part of key (Object @7) -> value (Linter @) pair in WeakMap (table @5)',
    '3 / part of key (Object @7) -> value (Linter @9) pair in WeakMap (table @5x)',
    '5 / part of key (A @7) pair in WeakMap (table @8)',
    '42',
    '',
    '7 / part of key (',
    // An id past 32 bits, which no node has: the pattern takes it, the parser does not note it.
    '8 / part of key (K @99999999999) -> value (V @2) pair in WeakMap (table @3)',
  ];
  const builder = new StringTableBuilder();
  for (const name of names) {
    const bytes = stored(name);
    builder.beginString();
    for (let at = 0; at < bytes.length; at += 11) builder.append(bytes, at, Math.min(bytes.length, at + 11));
    builder.endString();
  }
  const reference = /^\d+ \/ part of key \(.*? @(\d+)\) -> value \(.*? @(\d+)\) pair in WeakMap \(table @(\d+)\)$/;
  const expected = names.flatMap((name, index) => {
    const ids = reference.exec(name)?.slice(1).map(Number);
    return ids && ids.every((id) => id <= 0xffffffff) ? [[index, ...ids]] : [];
  });
  assert.deepEqual(expected, [[0, 7, 9, 5], [1, 1234, 78, 91011], [2, 2, 4294967295, 3], [3, 1, 4, 6], [4, 2, 3, 4]]);
  const { nameIndexes, keyIds, valueIds, tableIds } = builder.finish().ephemeronNames;
  assert.deepEqual([...nameIndexes].map((index, i) => [index, keyIds[i], valueIds[i], tableIds[i]]), expected);
});
