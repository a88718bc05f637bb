// What the Growth view derives from the engine's figures, in plain Node: the
// words of a rise, and the rows of a merged tree (cut to what a panel can
// show, every drawn branch reaching the class, examples from the right group).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MergedPaths, PathGroup, PathTreeNode } from '../../src/protocol/growth';
import { BRANCHES_SHOWN, moreKey, pathRows, ROOTS_SHOWN, ROW_BUDGET, showMore, type BranchRow, type MoreRow } from '../../webview/growth/pathRows';
import { rise, sinceText } from '../../webview/growth/sentences';
import { leakingScheduler, type GrowthFixture } from './growthData';

describe('the rise of a series', () => {
  test('the same step every time reads "per snapshot"; uneven steps give the total', () => {
    assert.equal(rise([400, 800, 1200], ['entry', 'entries']), '+400 entries per snapshot');
    assert.equal(rise([400, 800, 1600], ['entry', 'entries']), '+1,200 entries over 3 snapshots');
    assert.equal(rise([null, 10, 30, 50], ['entry', 'entries']), '+20 entries per snapshot', 'counted from when the collection appeared');
    assert.equal(rise([5, 3], ['instance', 'instances']), '−2 instances per snapshot');
    assert.equal(rise([8, 9, 10], ['instance', 'instances']), '+1 instance per snapshot');
  });
});

describe('rows of a merged tree', () => {
  let fixture: GrowthFixture;
  before(async () => {
    fixture = await leakingScheduler();
  });

  test('every branch opens an object of the largest group through it', () => {
    const paths = fixture.mergedPaths('Job', 'new');
    const { rows, reachable } = pathRows(paths);
    assert.equal(reachable, 800);
    const branches = rows.filter((r): r is BranchRow => r.kind === 'branch');
    const [viaMap, viaGlobal] = paths.groups;
    for (const row of branches.slice(0, 4)) assert.ok(viaMap.exampleIds.includes(row.exampleId!), `${row.node.label} opens a job of the map`);
    for (const row of branches.slice(4)) assert.ok(viaGlobal.exampleIds.includes(row.exampleId!), `${row.node.label} opens a job of globalThis.lastJobs`);
    assert.deepEqual(branches.map((r) => r.groupLabel), [...Array(4).fill(viaMap.label), ...Array(3).fill(viaGlobal.label)]);
    assert.deepEqual(branches.map((r) => [r.depth, r.last]), [[0, false], [1, true], [2, true], [3, true], [0, true], [1, true], [2, true]]);
  });

  test('a node with several branches opens an object of its largest', () => {
    const paths = fixture.mergedPaths('Array', 'all');
    const [largest] = paths.groups;
    assert.equal(largest.label, 'Scheduler.queued.get(*).payload');
    const top = pathRows(paths).rows[0] as BranchRow;
    assert.equal(top.node.label, 'module scope of growth.js');
    assert.ok(paths.tree.children[0].children.length > 1, 'the module scope holds several branches');
    assert.ok(largest.exampleIds.includes(top.exampleId!), `@${top.exampleId} is one of the jobs' payloads`);
    assert.equal(top.groupLabel, largest.label);
  });

  test('a node where some paths end and others go on opens the larger part', () => {
    const paths = fixture.mergedPaths('ListNode', 'new');
    const head = pathRows(paths).rows.find((r): r is BranchRow => r.kind === 'branch' && r.edge === '.head')!;
    const repeated = paths.groups.find((g) => g.label.endsWith('(.next)+'))!;
    assert.equal(head.objects, 1);
    assert.ok(repeated.exampleIds.includes(head.exampleId!), 'the 199 behind it, not the one head');
  });

  test('big trees are cut to the largest branches; chains never; "+N more" counts what it hides and opens ten more', () => {
    const paths = wideTree(30, 12);
    const { rows } = pathRows(paths);
    const roots = rows.filter((r) => r.depth === 0);
    assert.equal(roots.filter((r) => r.kind === 'branch').length, ROOTS_SHOWN);
    const rootMore = roots.find((r): r is MoreRow => r.kind === 'more')!;
    assert.deepEqual({ branches: rootMore.branches, groups: rootMore.groups, count: rootMore.count }, { branches: 30 - ROOTS_SHOWN, groups: (30 - ROOTS_SHOWN) * 12, count: sum(paths.tree.children.slice(ROOTS_SHOWN).map((c) => c.count)) });
    const firstRoot = rows[0] as BranchRow;
    const under = rows.filter((r) => r.parent === firstRoot.key);
    assert.equal(under.filter((r) => r.kind === 'branch').length, BRANCHES_SHOWN);
    assert.equal(under.find((r) => r.kind === 'more')?.kind, 'more');
    // Each drawn branch of a root is a chain down to the class: drawn whole.
    const leaves = rows.filter((r): r is BranchRow => r.kind === 'branch' && r.objects > 0);
    assert.ok(leaves.length > 0 && leaves.every((leaf) => leaf.depth === 1));
    const wider = pathRows(paths, showMore({}, rootMore)).rows;
    assert.equal(wider.filter((r) => r.depth === 0 && r.kind === 'branch').length, ROOTS_SHOWN + 10);
  });

  test('past the row budget, nodes show no further branches until asked', () => {
    const paths = wideTree(40, 40);
    const { rows } = pathRows(paths, { [moreKey(null)]: 40 });
    assert.ok(rows.length < ROW_BUDGET + 40 * 3, `${rows.length} rows`);
    const lastRoot = rows.filter((r): r is BranchRow => r.kind === 'branch' && r.depth === 0).at(-1)!;
    const cut = rows.find((r): r is MoreRow => r.kind === 'more' && r.parent === lastRoot.key)!;
    assert.deepEqual({ drawn: cut.drawn, branches: cut.branches }, { drawn: 0, branches: 40 });
    // A single branch is a chain: drawn past the budget too, so every drawn path reaches the class.
    const chains = pathRows(wideTree(100, 1), { [moreKey(null)]: 100 }).rows;
    assert.equal(chains.length, 200);
    assert.ok(chains.every((r) => r.kind === 'branch'));
  });

  test('"since snapshot 1" when the baseline is the report\'s first snapshot', () => {
    const paths = fixture.mergedPaths('Job', 'new');
    assert.equal(sinceText(paths, fixture.report), 'since snapshot 1');
    assert.equal(sinceText({ ...paths, newSince: { file: '/tmp/other/base.heapsnapshot', maxObjectId: 1 } }, fixture.report), 'since base.heapsnapshot');
    assert.equal(sinceText(fixture.mergedPaths('Job', 'all'), fixture.report), null);
  });
});

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `roots` roots, each holding `perRoot` holders of one object each (largest first), as the engine would merge them. */
function wideTree(roots: number, perRoot: number): MergedPaths {
  const groups: PathGroup[] = [];
  const tree: PathTreeNode = { node: { name: '(roots)', label: '(roots)', rootKind: null }, edge: null, count: 0, objects: 0, selfSize: 0, retainedSize: null, children: [] };
  for (let r = 0; r < roots; r++) {
    const root: PathTreeNode = { node: { name: 'Object', label: `globalThis.cache${r}`, rootKind: 'global' }, edge: null, count: 0, objects: 0, selfSize: 0, retainedSize: null, children: [] };
    for (let k = 0; k < perRoot; k++) {
      const count = (roots - r) * 100 + (perRoot - k);
      root.children.push({ node: { name: 'T', label: 'T', rootKind: null }, edge: `.k${k}`, count, objects: count, selfSize: count * 8, retainedSize: null, children: [] });
      groups.push({ label: `globalThis.cache${r}.k${k}`, count, selfSize: count * 8, retainedSize: null, nodes: [root.node, { name: 'T', label: 'T', rootKind: null }], edges: [`.k${k}`], exampleIds: [r * 1000 + k] });
      root.count += count;
    }
    tree.children.push(root);
    tree.count += root.count;
  }
  groups.sort((a, b) => b.count - a.count);
  return { class: 'T', objects: tree.count, newSince: null, selfSize: tree.count * 8, retainedSize: null, groups, tree, unreachable: { count: 0, selfSize: 0, exampleIds: [] } };
}
