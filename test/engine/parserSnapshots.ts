// Real V8 heap snapshots for the parser tests: a `node -e` program builds some
// objects and writes its own snapshot. Plus a reference reader built on
// JSON.parse, independent of the parser under test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../harness/scratchDir';

let directory: string | undefined;

/** Runs `program` in a fresh Node and returns the path of the snapshot it wrote. */
export function writeRealSnapshot(name: string, program: string): string {
  directory ??= scratchDir('retainer-graph-parser-');
  const path = join(directory, `${name}.heapsnapshot`);
  execFileSync(process.execPath, ['-e', `${program}\nrequire('v8').writeHeapSnapshot(${JSON.stringify(path)});`], { stdio: 'inherit' });
  return path;
}

/** Strings a developer's heap really holds, including what JSON must escape and what UTF-16 allows but UTF-8 does not. */
export const TRICKY_STRINGS = [
  'plain ascii',
  'héllo wörld — ñ',
  '中文字符串',
  'emoji 😀 🎉 family 👨‍👩‍👧',
  'lone high \ud800 surrogate',
  'lone low \udc00 surrogate',
  'quote " backslash \\ slash /',
  // Runs of backslashes before a quote: an even run ends the string, an odd one escapes the quote.
  'three backslashes and a quote \\\\\\" then one more backslash \\',
  'controls \u0001\u0007\b\f\n\r\t\u001f end',
  '</script><img src=x onerror=alert(1)>',
  `long ${'x'.repeat(20000)} end`,
];

/** A program whose heap holds the tricky strings, a class-static Map, closures and functions with locations. */
export const TRICKY_PROGRAM = `
const tricky = ${JSON.stringify(TRICKY_STRINGS)};
globalThis.keptStrings = tricky.map((s) => s + '!');
globalThis.keptKeys = Object.fromEntries(tricky.map((s, i) => [s.slice(0, 40) + i, i]));
class Processor {
  static instanceMap = new Map();
  constructor(name) { this.name = name; this.buffer = new Array(100).fill(name); }
}
for (let i = 0; i < 50; i++) Processor.instanceMap.set('bot' + i, new Processor('bot' + i));
let big = { payload: 'captured' };
globalThis.onTick = () => big;
`;

export interface ReferenceSnapshot {
  snapshot: { meta: Record<string, unknown>; node_count: number; edge_count: number };
  nodes: number[];
  edges: number[];
  locations?: number[];
  strings: string[];
  [section: string]: unknown;
}

export function readReference(path: string): ReferenceSnapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as ReferenceSnapshot;
}

/** Re-serializes a snapshot the way V8 does: one record per line in the number arrays. */
export function serializeLikeV8(snapshot: ReferenceSnapshot): string {
  const meta = snapshot.snapshot.meta as { node_fields: string[]; edge_fields: string[]; location_fields?: string[] };
  const rows = (values: number[], width: number): string => {
    const lines: string[] = [];
    for (let i = 0; i < values.length; i += width) lines.push(values.slice(i, i + width).join(','));
    return `[${lines.join('\n,')}]`;
  };
  const parts: string[] = [];
  for (const [key, value] of Object.entries(snapshot)) {
    if (key === 'nodes') parts.push(`"nodes":${rows(snapshot.nodes, meta.node_fields.length)}`);
    else if (key === 'edges') parts.push(`"edges":${rows(snapshot.edges, meta.edge_fields.length)}`);
    else if (key === 'locations') parts.push(`"locations":${rows(snapshot.locations ?? [], meta.location_fields?.length ?? 4)}`);
    else if (key === 'strings') parts.push(`"strings":[${snapshot.strings.map((s) => JSON.stringify(s)).join(',\n')}]`);
    else parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{${parts.join(',\n')}}`;
}

/**
 * A tiny but complete snapshot: the real meta of `real`, a root, two objects
 * and a string node, edges of several types, a location, and the tricky
 * strings written raw (multi-byte UTF-8) the way JSON.stringify writes them.
 */
export function tinySnapshot(real: ReferenceSnapshot): ReferenceSnapshot {
  const meta = real.snapshot.meta as { node_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
  const nodeFields = meta.node_fields;
  const nodeType = (name: string): number => meta.node_types[0].indexOf(name);
  const edgeType = (name: string): number => meta.edge_types[0].indexOf(name);
  const strings = ['', '(GC roots)', 'Processor', 'instanceMap', ...TRICKY_STRINGS];
  const node = (type: string, name: number, id: number, selfSize: number, edgeCount: number): number[] =>
    nodeFields.map((field) => ({ type: nodeType(type), name, id, self_size: selfSize, edge_count: edgeCount })[field] ?? 0);
  const nodes = [
    ...node('synthetic', 0, 1, 0, 2),
    ...node('object', 2, 3, 4294967295, 2),
    ...node('closure', 3, 5, 32, 0),
    ...node('string', 8, 7, 123456789012, 0),
  ];
  const w = nodeFields.length;
  const edges = [
    edgeType('shortcut'), 1, 1 * w,
    edgeType('element'), 4000000000, 3 * w,
    edgeType('property'), 5, 2 * w,
    edgeType('hidden'), 7, 3 * w,
  ];
  return {
    snapshot: { ...real.snapshot, node_count: 4, edge_count: 4 },
    nodes,
    edges,
    locations: [2 * w, 3, 17, 4],
    strings,
  };
}
