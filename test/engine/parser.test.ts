import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotParser, SnapshotFormatError } from '../../src/engine/parser';
import { IncompleteSnapshotError } from '../../src/engine/snapshotFormatError';
import type { HeapSnapshotData, ParseProgress } from '../../src/engine/snapshotData';
import { readSnapshotFile } from '../../src/loading/readSnapshotFile';
import { TRICKY_PROGRAM, TRICKY_STRINGS, readReference, serializeLikeV8, tinySnapshot, writeRealSnapshot, type ReferenceSnapshot } from './parserSnapshots';

function parse(chunks: Iterable<string | Uint8Array>): HeapSnapshotData {
  const parser = new SnapshotParser();
  for (const chunk of chunks) parser.write(chunk);
  return parser.end();
}

function* split<T extends string | Uint8Array>(input: T, size: number): Generator<T> {
  for (let at = 0; at < input.length; at += size) yield input.slice(at, at + size) as T;
}

function* splitAt<T extends string | Uint8Array>(input: T, points: number[]): Generator<T> {
  let from = 0;
  for (const point of [...points].sort((a, b) => a - b)) {
    yield input.slice(from, point) as T;
    from = point;
  }
  yield input.slice(from) as T;
}

/** Deterministic split points, so a failure reproduces. */
function randomPoints(length: number, count: number, seed: number): number[] {
  let state = seed;
  const points: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    points.push(state % length);
  }
  return points;
}

/** Every column equals what JSON.parse of the same text says. */
function assertMatchesReference(data: HeapSnapshotData, reference: ReferenceSnapshot): void {
  const meta = reference.snapshot.meta as { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]]; location_fields?: string[] };
  const nodeField = (name: string): number => meta.node_fields.indexOf(name);
  const edgeField = (name: string): number => meta.edge_fields.indexOf(name);
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  assert.equal(data.nodeCount, reference.snapshot.node_count);
  assert.equal(data.edgeCount, reference.snapshot.edge_count);
  assert.deepEqual(data.nodeTypeNames, meta.node_types[0]);
  assert.deepEqual(data.edgeTypeNames, meta.edge_types[0]);
  const column = (values: number[], width: number, offset: number): number[] => {
    const out: number[] = [];
    for (let i = offset; i < values.length; i += width) out.push(values[i]);
    return out;
  };
  assert.deepEqual(Array.from(data.nodeTypes), column(reference.nodes, nodeWidth, nodeField('type')));
  assert.deepEqual(Array.from(data.nodeNames), column(reference.nodes, nodeWidth, nodeField('name')));
  assert.deepEqual(Array.from(data.nodeIds), column(reference.nodes, nodeWidth, nodeField('id')));
  assert.deepEqual(Array.from(data.nodeSelfSizes), column(reference.nodes, nodeWidth, nodeField('self_size')));
  const edgeCounts = column(reference.nodes, nodeWidth, nodeField('edge_count'));
  const firstEdgeIndexes = [0];
  for (const count of edgeCounts) firstEdgeIndexes.push(firstEdgeIndexes[firstEdgeIndexes.length - 1] + count);
  assert.deepEqual(Array.from(data.firstEdgeIndexes), firstEdgeIndexes);
  if (nodeField('detachedness') >= 0) {
    // Only the nodes whose state is not 0, in order.
    const states = column(reference.nodes, nodeWidth, nodeField('detachedness'));
    const ordinals = states.flatMap((state, ordinal) => (state !== 0 ? [ordinal] : []));
    assert.deepEqual(Array.from(data.nodeDetachedness.ordinals), ordinals);
    assert.deepEqual(Array.from(data.nodeDetachedness.states), ordinals.map((ordinal) => states[ordinal]));
  } else {
    assert.equal(data.nodeDetachedness.ordinals.length, 0);
  }
  assert.deepEqual(Array.from(data.edgeTypes), column(reference.edges, edgeWidth, edgeField('type')));
  assert.deepEqual(Array.from(data.edgeNamesOrIndexes), column(reference.edges, edgeWidth, edgeField('name_or_index')));
  assert.deepEqual(Array.from(data.edgeToNodes), column(reference.edges, edgeWidth, edgeField('to_node')).map((index) => index / nodeWidth));
  const locations = reference.locations ?? [];
  const locationFields = meta.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
  const location = (name: string): number[] => column(locations, locationFields.length, locationFields.indexOf(name));
  assert.equal(data.locations.count, locations.length / locationFields.length);
  assert.deepEqual(Array.from(data.locations.nodeOrdinals), location('object_index').map((index) => index / nodeWidth));
  assert.deepEqual(Array.from(data.locations.scriptIds), location('script_id'));
  assert.deepEqual(Array.from(data.locations.lines), location('line'));
  assert.deepEqual(Array.from(data.locations.columns), location('column'));
  assert.equal(data.strings.length, reference.strings.length);
  for (let i = 0; i < reference.strings.length; i++) {
    if (data.strings.get(i) !== reference.strings[i]) assert.equal(data.strings.get(i), reference.strings[i], `string ${i}`);
  }
}

function formatError(input: string | Uint8Array, chunkSize?: number): SnapshotFormatError {
  try {
    parse(chunkSize ? split(input, chunkSize) : [input]);
  } catch (error) {
    assert.ok(error instanceof SnapshotFormatError, `expected a SnapshotFormatError, got ${String(error)}`);
    return error;
  }
  assert.fail('the parser accepted corrupt input');
}

describe('SnapshotParser on a real V8 snapshot', () => {
  let path: string;
  let bytes: Buffer;
  let text: string;
  let reference: ReferenceSnapshot;

  before(() => {
    path = writeRealSnapshot('tricky', TRICKY_PROGRAM);
    bytes = readFileSync(path);
    text = bytes.toString('utf8');
    reference = readReference(path);
  });

  test('every column and every string equals JSON.parse of the same file', () => {
    const data = parse([bytes]);
    assertMatchesReference(data, reference);
    // The heap's own strings came through, V8's escapes and all.
    // (V8 itself mangles astral characters, so strings with surrogates are only compared with JSON.parse above.)
    const strings = Array.from({ length: data.strings.length }, (_, i) => data.strings.get(i));
    for (const tricky of TRICKY_STRINGS.filter((s) => !/[\ud800-\udfff]/.test(s))) {
      assert.ok(strings.some((s) => s.startsWith(tricky.slice(0, 1000))), `missing ${JSON.stringify(tricky.slice(0, 30))}`);
    }
    assert.ok(strings.includes('Processor') && strings.includes('instanceMap'));
    assert.ok(data.locations.count > 0, 'a real snapshot has function locations');
  });

  test('random split points give the same result, as byte chunks and as string chunks', () => {
    for (let round = 0; round < 2; round++) {
      const points = randomPoints(bytes.length, 300, round + 1);
      assertMatchesReference(parse(splitAt(bytes, points)), reference);
      assertMatchesReference(parse(splitAt(text, points.map((p) => Math.min(p, text.length)))), reference);
    }
  });

  test('one big string chunk, as CDP can deliver', () => {
    assertMatchesReference(parse([text]), reference);
  });

  test('reports progress by section, ending at the byte count', () => {
    const seen: ParseProgress[] = [];
    const parser = new SnapshotParser({ onProgress: (progress) => seen.push(progress) });
    for (const chunk of split(bytes, 64 * 1024)) parser.write(chunk);
    parser.end();
    const sections = [...new Set(seen.map((p) => p.section))];
    for (const section of ['nodes', 'edges', 'strings']) assert.ok(sections.includes(section), `no progress for ${section}`);
    assert.ok(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1].bytes), 'progress goes forward');
    assert.equal(seen[seen.length - 1].bytes, bytes.length);
    assert.ok(seen.length < 40, `progress at a modest rate, got ${seen.length} reports`);
  });

  test('readSnapshotFile streams the file and names it in errors', async () => {
    const progress: number[] = [];
    const { data } = await readSnapshotFile(path, { onProgress: (p) => progress.push(p.bytes / p.totalBytes) });
    assertMatchesReference(data, reference);
    assert.equal(progress[progress.length - 1], 1);
    await assert.rejects(readSnapshotFile(`${path}.missing`), (error: Error) => error.message.includes(`${path}.missing`) && /no such file/.test(error.message));
    await assert.rejects(readSnapshotFile(__filename), (error: Error) => error instanceof SnapshotFormatError && error.message.startsWith(`${__filename}: expected '{'`));
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(readSnapshotFile(path, { signal: aborted.signal }), { name: 'AbortError' });
  });

  test('truncated anywhere: an error at the end of the input, never a partial graph', () => {
    for (const length of [...randomPoints(bytes.length - 1, 60, 7), 1, 100, bytes.length - 1]) {
      const error = formatError(bytes.subarray(0, length));
      assert.equal(error.offset, length, `truncated at ${length}: ${error.message}`);
      assert.ok(error instanceof IncompleteSnapshotError, `truncated at ${length}: ${error.message}`);
      assert.match(error.message, new RegExp(`^the snapshot is incomplete \\(it ends at byte ${length}[,;)]`));
    }
  });

  test('a file cut short says it is incomplete, where it ends, and about how big a whole one is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-truncated-'));
    try {
      const text = bytes.toString('latin1');
      const cuts: Array<[string, number]> = [
        ['nodes', text.indexOf('"nodes":') + Math.floor((text.indexOf('"edges":') - text.indexOf('"nodes":')) / 2)],
        ['edges', text.indexOf('"edges":') + 1000],
        ['strings', text.indexOf('"strings":') + 2000],
      ];
      for (const [section, at] of cuts) {
        const cut = join(dir, `cut-in-${section}.heapsnapshot`);
        writeFileSync(cut, bytes.subarray(0, at));
        const error = await readSnapshotFile(cut).then(() => assert.fail(`${section}: a partial graph`), (error: unknown) => error);
        assert.ok(error instanceof IncompleteSnapshotError, String(error));
        assert.match(error.message, new RegExp(`^${cut}: the file is incomplete \\(it ends at byte ${at}, in "${section}"; a snapshot of this header's size is about [\\d.]+ [KM]B\\)$`));
        const estimate = error.incompleteness.estimatedBytes ?? 0;
        assert.ok(Math.abs(estimate - bytes.length) < bytes.length * 0.25, `${section}: about ${estimate} bytes, the whole file has ${bytes.length}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file without its final brace says only that is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-truncated-'));
    try {
      const cut = join(dir, 'no-final-brace.heapsnapshot');
      const end = bytes.lastIndexOf('}');
      writeFileSync(cut, bytes.subarray(0, end));
      await assert.rejects(readSnapshotFile(cut), { message: `${cut}: the file is incomplete (it ends at byte ${end}, where only the final '}' is missing)` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a flipped byte in "nodes" is reported at its offset, with what was expected', () => {
    const at = bytes.indexOf('"nodes":[') + 2000;
    const flipped = Buffer.from(bytes);
    flipped[at] = 'x'.charCodeAt(0);
    for (const chunkSize of [undefined, 4096, 7]) {
      const error = formatError(flipped, chunkSize);
      assert.equal(error.offset, at);
      assert.match(error.message, new RegExp(`^expected .* in "nodes" at byte ${at}, found 'x'$`));
    }
  });

  test('garbage after the end is an error', () => {
    const error = formatError(Buffer.concat([bytes, Buffer.from('\n{"x":1}')]));
    assert.equal(error.offset, bytes.length + 1);
    assert.match(error.message, /end of input after the closing '}'/);
  });

  test('node_count that disagrees with "nodes" is an error either way', () => {
    const count = reference.snapshot.node_count;
    const more = formatError(text.replace(`"node_count":${count}`, `"node_count":${count + 1}`));
    assert.match(more.message, new RegExp(`"nodes" holds ${count} nodes but snapshot.node_count says ${count + 1}`));
    const fewer = formatError(text.replace(`"node_count":${count}`, `"node_count":${count - 1}`));
    assert.match(fewer.message, /no more than snapshot.node_count/);
    // The error points into the nodes section, at the first node too many.
    assert.ok(fewer.offset > text.indexOf('"nodes"') && fewer.offset < text.indexOf('"edges"'));
  });
});

describe('SnapshotParser on a tiny snapshot with raw UTF-8', () => {
  let tiny: ReferenceSnapshot;
  let tinyText: string;
  let tinyBytes: Buffer;

  before(() => {
    const real = readReference(writeRealSnapshot('meta-source', 'globalThis.x = 1;'));
    tiny = tinySnapshot(real);
    tinyText = serializeLikeV8(tiny);
    tinyBytes = Buffer.from(tinyText, 'utf8');
  });

  test('every split size from 1 to 64, then every 37th up to the whole file, as bytes and as strings', () => {
    assert.ok(tinyBytes.length > tinyText.length, 'the tiny snapshot holds multi-byte UTF-8');
    for (let size = 1; size <= tinyBytes.length; size += size < 64 ? 1 : 37) {
      assertMatchesReference(parse(split(tinyBytes, size)), tiny);
    }
    for (let size = 1; size <= tinyText.length; size += size < 64 ? 1 : 37) {
      assertMatchesReference(parse(split(tinyText, size)), tiny);
    }
  });

  test('numbers beyond 32 bits keep their value where the column can hold it', () => {
    const data = parse([tinyBytes]);
    assert.equal(data.nodeSelfSizes[3], 123456789012);
    assert.equal(data.nodeSelfSizes[1], 4294967295);
    assert.equal(data.edgeNamesOrIndexes[1], 4000000000);
  });

  test('a number its 32-bit column cannot hold is refused at its byte, not wrapped', () => {
    const meta = tiny.snapshot.meta as { node_fields: string[] };
    const w = meta.node_fields.length;
    // Each would wrap to a plausible value: string 2 ("Processor"), id 3, element 0.
    const cases: Array<[string, 'nodes' | 'edges', number, number, RegExp]> = [
      ['a node name past 2^32', 'nodes', w + meta.node_fields.indexOf('name'), 2 ** 32 + 2, /expected a string index below 2\^32 in name in "nodes"/],
      // Node 3's self size (123456789012) widens the sizes' column first; its name is still refused.
      ['a node name past 2^32 in a record whose size needs 64 bits', 'nodes', 3 * w + meta.node_fields.indexOf('name'), 2 ** 32 + 2, /expected a string index below 2\^32 in name in "nodes"/],
      ['a node id past 2^32', 'nodes', w + meta.node_fields.indexOf('id'), 2 ** 32 + 3, /expected an id below 2\^32 in "nodes"/],
      ['an element index of 2^32', 'edges', 4, 2 ** 32, /expected a number below 2\^32 in name_or_index in "edges"/],
      ['an element index too long to be exact', 'edges', 4, 123456789012345678901, /expected a number below 2\^32 in name_or_index in "edges" .*, found 1234567890123456\d{5}$/],
    ];
    for (const [name, section, index, value, message] of cases) {
      const edited: ReferenceSnapshot = { ...tiny, [section]: tiny[section].map((v, i) => (i === index ? value : v)) };
      const text = serializeLikeV8(edited);
      // The number's first digit: the index-th number after the section's '['.
      let at = text.indexOf(`"${section}":[`) + section.length + 4;
      for (let k = 0; k < index; k++) at = text.indexOf(',', at) + 1;
      while (!/\d/.test(text[at])) at++;
      for (const size of [undefined, 1]) {
        const error = formatError(text, size);
        assert.match(error.message, message, name);
        assert.equal(error.offset, at, `${name}: ${error.message}`);
      }
    }
  });

  test('self sizes take 4 bytes a node until one needs more, then 8, split anywhere', () => {
    const reference = (tiny.nodes as number[]).slice();
    const narrow = { ...tiny, nodes: reference.map((value) => (value === 123456789012 ? 42 : value)) };
    const narrowData = parse([Buffer.from(serializeLikeV8(narrow), 'utf8')]);
    assert.ok(narrowData.nodeSelfSizes instanceof Uint32Array, 'every size fits 32 bits');
    assert.equal(narrowData.nodeSelfSizes[1], 4294967295);
    for (let size = 1; size <= tinyBytes.length; size += size < 64 ? 1 : 37) {
      const data = parse(split(tinyBytes, size));
      assert.ok(data.nodeSelfSizes instanceof Float64Array, 'widened for 123456789012');
      assertMatchesReference(data, tiny);
    }
  });

  test('field order comes from meta, and detachedness and locations are optional', () => {
    const meta = tiny.snapshot.meta as { node_fields: string[]; edge_fields: string[]; location_fields: string[] };
    const permute = <T>(values: T[], width: number, order: number[]): T[] => values.map((_, i) => values[i - (i % width) + order[i % width]]);
    const nodeOrder = meta.node_fields.map((_, i) => meta.node_fields.length - 1 - i);
    const edgeOrder = [2, 0, 1];
    const locationOrder = [3, 2, 1, 0];
    const reordered: ReferenceSnapshot = {
      snapshot: { ...tiny.snapshot, meta: { ...meta, node_fields: permute(meta.node_fields, meta.node_fields.length, nodeOrder), edge_fields: permute(meta.edge_fields, 3, edgeOrder), location_fields: permute(meta.location_fields, 4, locationOrder) } },
      nodes: permute(tiny.nodes, meta.node_fields.length, nodeOrder),
      edges: permute(tiny.edges, 3, edgeOrder),
      locations: permute(tiny.locations ?? [], 4, locationOrder),
      strings: tiny.strings,
    };
    assertMatchesReference(parse([serializeLikeV8(reordered)]), reordered);

    const without = meta.node_fields.indexOf('detachedness');
    assert.ok(without >= 0);
    const lean: ReferenceSnapshot = {
      snapshot: { ...tiny.snapshot, meta: { ...meta, node_fields: meta.node_fields.filter((f) => f !== 'detachedness') } },
      nodes: tiny.nodes.filter((_, i) => i % meta.node_fields.length !== without),
      edges: tiny.edges.map((value, i) => (i % 3 === 2 ? (value / meta.node_fields.length) * (meta.node_fields.length - 1) : value)),
      strings: tiny.strings,
    };
    const data = parse([serializeLikeV8(lean)]);
    assertMatchesReference(data, lean);
    assert.equal(data.nodeDetachedness.ordinals.length, 0);
    assert.equal(data.locations.count, 0);
  });

  test('trace sections and unknown sections are skipped, strings may come before nodes', () => {
    const { snapshot, nodes, edges, locations, strings } = tiny;
    const tricky = '{"a":"]}\\"[{","b":[1,[2,{"c":null}]],"d":-1.5e3,"e":true}';
    const shuffled = `{"snapshot":${JSON.stringify(snapshot)},"strings":${JSON.stringify(strings)},"trace_function_infos":[1,2,3],"trace_tree":[[1,[2,[]]]],"samples":${tricky},"future_section":"x","nodes":${JSON.stringify(nodes)},"locations":${JSON.stringify(locations)},"edges":${JSON.stringify(edges)},"count":42}`;
    for (const size of [1, 3, 1000000]) assertMatchesReference(parse(split(Buffer.from(shuffled), size)), tiny);
  });

  test('an edge pointing past the node array is reported at its to_node', () => {
    const bad = { ...tiny, edges: [...tiny.edges] };
    bad.edges[5] = 4 * (tiny.nodes.length / 4);
    const text = serializeLikeV8(bad);
    const at = text.indexOf(`,${bad.edges[5]}`, text.indexOf('"edges"')) + 1;
    for (const size of [1, 2, 5, 100000]) {
      const error = formatError(text, size);
      assert.match(error.message, /in to_node in "edges"/);
      assert.equal(error.offset, at);
    }
  });

  test('corrupt input gives a SnapshotFormatError with the right offset', () => {
    const edgesEnd = tinyText.indexOf(']', tinyText.indexOf('"edges"'));
    const withPartialRecord = `${tinyText.slice(0, edgesEnd)},0${tinyText.slice(edgesEnd)}`;
    const badLocation = serializeLikeV8({ ...tiny, locations: [tiny.nodes.length, 3, 17, 4] });
    const cases: [string, string | Uint8Array, number, RegExp][] = [
      ['a location past the node array', badLocation, badLocation.indexOf('"locations":[') + 13, /a node index .* in object_index in "locations"/],
      ['empty input', '', 0, /^the snapshot is empty$/],
      ['not JSON', 'hello', 0, /found 'h'/],
      ['JSON but not a snapshot', '{"a":1}', 7, /the "snapshot" section is missing/],
      ['a JSON array', '[1,2]', 0, /expected '\{'/],
      ['unterminated string at the end', tinyText.slice(0, tinyText.lastIndexOf('"')), Buffer.byteLength(tinyText.slice(0, tinyText.lastIndexOf('"'))), /^the snapshot is incomplete \(it ends at byte \d+, in "strings"; a snapshot of this header's size is about [\d.]+ (bytes|KB)\)$/],
      ['nodes before snapshot', '{"nodes":[1]}', 9, /"snapshot" section .* before "nodes"/],
      ['a missing edges section', serializeLikeV8({ snapshot: tiny.snapshot, nodes: tiny.nodes, strings: tiny.strings } as ReferenceSnapshot), -1, /the "edges" section is missing/],
      ['a negative number', tinyText.replace('"nodes":[', '"nodes":[-'), tinyText.indexOf('"nodes":[') + 9, /expected a digit or '\]' in "nodes" .* found '-'/],
      ['a string index past "strings"', serializeLikeV8({ ...tiny, strings: tiny.strings.slice(0, 4) }), -1, /node 3 names string 8 but "strings" holds 4/],
      ['a partial record', withPartialRecord, withPartialRecord.indexOf(']', withPartialRecord.indexOf('"edges"')), /expected a multiple of 3 numbers .* in "edges"/],
      ['a duplicated section', tinyText.replace('"strings":', '"nodes":[],"strings":'), tinyText.indexOf('"strings":') + 8, /no second "nodes" section/],
    ];
    for (const [name, input, offset, message] of cases) {
      for (const size of [undefined, 1]) {
        const error = formatError(input, size);
        assert.match(error.message, message, name);
        if (offset >= 0) assert.equal(error.offset, offset, `${name}: ${error.message}`);
      }
    }
  });

  test('an error is final: writing on is refused with the same error', () => {
    const parser = new SnapshotParser();
    assert.throws(() => parser.write('{"x":[}'), SnapshotFormatError);
    assert.throws(() => parser.write(tinyText), /found '\}'/);
    assert.throws(() => parser.end(), /found '\}'/);
  });
});
