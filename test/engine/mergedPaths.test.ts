// Merged shortest paths (Eclipse MAT's "Merge Shortest Paths to GC Roots"):
// on the growth fixture's last snapshot, cross-checked against each object's
// own shortest path as the walk draws it; and on tiny graphs built in code for
// what a real heap cannot show exactly (unreachable objects, nested members).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GrowthRecording, HeapGraph, SnapshotParser, mergedPathsOfClass } from '../../src/engine/index';
import type { MergedPaths, PathGroup, PathTreeNode } from '../../src/protocol/growth';
import type { Walk } from '../../src/protocol/walk';
import { fixtureSeries } from '../fixtures/series';
import { SnapshotBuilder } from './helpers/fromJson';

function graphOf(path: string): HeapGraph {
  const parser = new SnapshotParser();
  parser.write(readFileSync(path));
  const graph = HeapGraph.build(parser.end());
  graph.computeRetainedSizes();
  return graph;
}

/** A group's path as one string: root label, steps, class (`+` after a repeated node). */
function groupKey(group: Pick<PathGroup, 'nodes' | 'edges'>): string {
  return group.nodes.map((node, i) => `${i > 0 ? ` -${group.edges[i - 1]}-> ` : ''}${node.rootKind ? node.label : node.name}${node.repeated ? '+' : ''}`).join('');
}

/**
 * The same key computed independently from one object's walk: its shortest
 * path, keys and indexes generalized, a run of steps between objects of one
 * class collapsed into one repeated step.
 */
function walkKey(walk: Walk): string {
  const byId = new Map(walk.nodes.map((node) => [node.id, node]));
  const nodes = walk.shortestPath.nodes.map((id) => byId.get(id)!);
  const generalize = (label: string) => label.replace(/^get\(.*\)$/, 'get(*)').replace(/^\[\d+\]$/, '[*]').replace(/^key .*$/, 'key *').replace(/^has\(.*\)$/, 'has(*)');
  const keyOf = (i: number) => (nodes[i].rootKind ? nodes[i].label : nodes[i].name);
  const parts: { key: string; edges: string[]; repeated: boolean }[] = [];
  nodes.forEach((_, i) => {
    const key = keyOf(i);
    const edge = i === 0 ? '' : generalize(walk.shortestPath.edges[i - 1].label);
    const previous = parts[parts.length - 1];
    if (previous && previous.key === key && !nodes[i].rootKind) {
      if (previous.repeated) {
        if (!previous.edges.includes(edge)) previous.edges.push(edge);
      } else {
        parts.push({ key, edges: [edge], repeated: true });
      }
      return;
    }
    parts.push({ key, edges: [edge], repeated: false });
  });
  return parts.map((part, i) => `${i > 0 ? ` -${part.repeated ? `(${part.edges.join('|')})+` : part.edges[0]}-> ` : ''}${part.key}${part.repeated ? '+' : ''}`).join('');
}

function countsBy<T>(items: readonly T[], key: (item: T) => string, weight: (item: T) => number = () => 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + weight(item));
  return counts;
}

function instanceIds(graph: HeapGraph, className: string): number[] {
  const { names, classOf } = graph.classIndex();
  const row = names.indexOf(className);
  const ids: number[] = [];
  for (let ordinal = 0; ordinal < classOf.length; ordinal++) if (classOf[ordinal] === row) ids.push(graph.data.nodeIds[ordinal]);
  return ids;
}

describe('merged paths on a real leak (the growth fixture, last snapshot)', () => {
  let series: string[];
  let graph: HeapGraph;
  let jobs: MergedPaths;
  before(async () => {
    series = await fixtureSeries('growth');
    graph = graphOf(series[2]);
    jobs = mergedPathsOfClass(graph, 'Job')!;
  });

  it('groups 1,200 jobs by the two paths that keep them, largest first, as code names them', () => {
    assert.equal(jobs.class, 'Job');
    assert.equal(jobs.objects, 1200);
    assert.deepEqual(jobs.unreachable, { count: 0, selfSize: 0, exampleIds: [] });
    assert.deepEqual(
      jobs.groups.map((g) => ({ label: g.label, count: g.count, nodes: g.nodes.map((n) => `${n.label}${n.rootKind ? ` [${n.rootKind}]` : ''}`), edges: g.edges })),
      [
        { label: 'Scheduler.queued.get(*)', count: 1160, nodes: ['module scope of growth.js [module]', 'Scheduler', 'Scheduler.queued [static-map]', 'Job'], edges: ['Scheduler', '.queued', 'get(*)'] },
        { label: 'globalThis.lastJobs[*]', count: 40, nodes: ['globalThis [global]', 'globalThis.lastJobs [static-map]', 'Job'], edges: ['.lastJobs', '[*]'] },
      ],
    );
    for (const group of jobs.groups) assert.equal(group.exampleIds.length, 5);
  });

  it('counts a job reached by two paths once, in the group of its shortest path', () => {
    const viaGlobal = jobs.groups[1];
    for (const id of viaGlobal.exampleIds) {
      const holders = graph.details(id).retainers.map((r) => r.edge.label);
      assert.ok(holders.some((label) => /^get\("job-\d+"\)$/.test(label)), `@${id} is also in Scheduler.queued: ${holders.join(', ')}`);
    }
    assert.equal(jobs.groups.reduce((sum, g) => sum + g.count, 0), 1200);
  });

  it('agrees with every job\'s own shortest path, and sums their retained sizes per group', () => {
    const walks = instanceIds(graph, 'Job').map((id) => graph.walk(id, { depth: 1, fanOut: 1 }));
    assert.deepEqual(countsBy(jobs.groups, groupKey, (g) => g.count), countsBy(walks, walkKey));
    // No job dominates another: each group retains the sum of its jobs' retained sizes.
    const retained = (walk: Walk) => walk.nodes.find((node) => node.id === walk.target)!.retainedSize!;
    assert.deepEqual(countsBy(jobs.groups, groupKey, (g) => g.retainedSize!), countsBy(walks, walkKey, retained));
    assert.equal(jobs.retainedSize, walks.reduce((sum, walk) => sum + retained(walk), 0));
  });

  it('merges a linked list into one repeated step, and counts what the list head retains once', () => {
    const list = mergedPathsOfClass(graph, 'ListNode')!;
    assert.deepEqual(
      list.groups.map((g) => ({ label: g.label, count: g.count, repeated: g.nodes.map((n) => n.repeated === true), edges: g.edges })),
      [
        { label: 'history.head(.next)+', count: 299, repeated: [false, false, false, true], edges: ['history', '.head', '(.next)+'] },
        { label: 'history.head', count: 1, repeated: [false, false, false], edges: ['history', '.head'] },
      ],
    );
    const walks = instanceIds(graph, 'ListNode').map((id) => graph.walk(id, { depth: 1, fanOut: 1 }));
    assert.deepEqual(countsBy(list.groups, groupKey, (g) => g.count), countsBy(walks, walkKey));
    // Each node dominates the rest of the list: the head's group retains it all, the repeated
    // group what its first node (head.next, the largest of them) retains, the whole set what the head retains.
    const retained = (walk: Walk) => walk.nodes.find((n) => n.id === walk.target)!.retainedSize!;
    const head = walks.find((walk) => walk.target === list.groups[1].exampleIds[0])!;
    assert.equal(list.groups[1].retainedSize, retained(head));
    assert.equal(list.retainedSize, retained(head));
    assert.equal(list.groups[0].retainedSize, Math.max(...walks.filter((walk) => walk !== head).map(retained)));
  });

  it('draws the same groups as a tree from the roots, each branch with its count', () => {
    const top = jobs.tree;
    assert.equal(top.count, 1200);
    const lines: string[] = [];
    const visit = (node: PathTreeNode, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${node.edge ?? ''} ${node.node.label} ${node.count}/${node.objects}`);
      node.children.forEach((child) => visit(child, depth + 1));
    };
    top.children.forEach((child) => visit(child, 0));
    assert.deepEqual(lines, [
      ' module scope of growth.js 1160/0',
      '  Scheduler Scheduler 1160/0',
      '    .queued Scheduler.queued 1160/0',
      '      get(*) Job 1160/1160',
      ' globalThis 40/0',
      '  .lastJobs globalThis.lastJobs 40/0',
      '    [*] Job 40/40',
    ]);
    assert.equal(top.retainedSize, jobs.retainedSize);
  });

  it('--new-since: only the jobs allocated after an older snapshot of the process', () => {
    const recording = new GrowthRecording();
    const parser = new SnapshotParser();
    parser.write(readFileSync(series[0]));
    recording.add(parser.end(), series[0]);
    const identity = recording.identityOf(graph);
    assert.deepEqual({ sameProcess: identity.sameProcess, newer: identity.newer }, { sameProcess: true, newer: true });
    const newJobs = mergedPathsOfClass(graph, 'Job', { file: series[0], maxObjectId: identity.firstMaxObjectId })!;
    assert.equal(newJobs.objects, 800);
    assert.deepEqual(newJobs.groups.map((g) => [g.label, g.count]), [['Scheduler.queued.get(*)', 760], ['globalThis.lastJobs[*]', 40]]);
    assert.ok(newJobs.groups.every((g) => g.exampleIds.every((id) => id > identity.firstMaxObjectId)));
  });

  it('is null for a class the snapshot does not have', () => {
    assert.equal(mergedPathsOfClass(graph, 'NoSuchClass'), null);
  });
});

describe('merged paths on tiny graphs', () => {
  /** root → global (shortcut) → properties; `T` objects are the set. */
  function tiny(build: (b: SnapshotBuilder) => void): HeapGraph {
    const builder = new SnapshotBuilder();
    builder.node('global', 'object', 'Window', 8).edge('root', 'shortcut', 'global', 'global');
    build(builder);
    const graph = HeapGraph.build(builder.build());
    graph.computeRetainedSizes();
    return graph;
  }

  it('counts objects with no strong path apart (only weakly held)', () => {
    const graph = tiny((b) => {
      b.node('held', 'object', 'T', 10).edge('global', 'property', 'held', 'held');
      b.node('weak', 'object', 'T', 20).edge('global', 'weak', 'cache', 'weak');
    });
    const paths = mergedPathsOfClass(graph, 'T')!;
    assert.equal(paths.objects, 2);
    assert.deepEqual(paths.groups.map((g) => [g.label, g.count]), [['globalThis.held', 1]]);
    assert.equal(paths.unreachable.count, 1);
    assert.equal(paths.unreachable.selfSize, 20);
    assert.equal(paths.selfSize, 30);
  });

  it('retained size of a set: a member held only by another member of its group is not counted again', () => {
    // global.holder.a → T1 → T2 → T3: T1's group, and T2 and T3 in one repeated step.
    const graph = tiny((b) => {
      b.node('holder', 'object', 'Holder', 16).edge('global', 'property', 'holder', 'holder');
      b.node('t1', 'object', 'T', 1).edge('holder', 'property', 'a', 't1');
      b.node('t2', 'object', 'T', 2).edge('t1', 'property', 'next', 't2');
      b.node('t3', 'object', 'T', 4).edge('t2', 'property', 'next', 't3');
      b.node('payload', 'object', 'Payload', 8).edge('t3', 'property', 'payload', 'payload');
    });
    const paths = mergedPathsOfClass(graph, 'T')!;
    assert.deepEqual(paths.groups.map((g) => [g.label, g.count, g.selfSize, g.retainedSize]), [
      ['globalThis.holder.a(.next)+', 2, 6, 2 + 4 + 8],
      ['globalThis.holder.a', 1, 1, 1 + 2 + 4 + 8],
    ]);
    assert.equal(paths.retainedSize, 15, 'the whole set: what T1 retains, counted once');
  });
});
