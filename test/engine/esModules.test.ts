// ES modules read as code on real heaps, on each Node whose V8 lays them out
// differently: a chain through an export starts at the module
// (`module lib/docs.mjs --export DocRenderer-->`), not inside Node's loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph } from '../../src/engine/index';
import { fixtureRuntimes } from '../fixtures/snapshot';
import { SnapshotBuilder } from './helpers/fromJson';
import { edgeLabelsInto, fixtureGraph, nodeByLabel, pathText } from './helpers/fixtureGraph';

function walkOf(graph: HeapGraph, className: string, index = 0) {
  const instance = graph.instances(className)[index];
  assert.ok(instance, `no ${className} in the snapshot`);
  return graph.walk(instance.id);
}

for (const { name, node } of fixtureRuntimes()) {
  const skip = node === null ? `${name} is not provisioned (.vscode-test/)` : false;
  const graph = (): Promise<HeapGraph> => fixtureGraph('esModules', node!);

  test(`an exported class's static Map starts at its module: module lib/docs.mjs --export DocRenderer--> (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'DocRenderer', 1);
    assert.match(pathText(walk), /^module lib\/docs\.mjs --export DocRenderer--> DocRenderer --\.instances--> DocRenderer\.instances --get\("(intro|usage)"\)--> DocRenderer$/);
    const module = nodeByLabel(walk, 'module lib/docs.mjs');
    assert.equal(module.rootKind, 'module');
    assert.equal(module.name, 'ModuleWrap');
    // The module is where the walk stops: nothing of Node's loader above it.
    assert.deepEqual(edgeLabelsInto(walk, module.id), []);
  });

  test(`an exported Map is a static map of its module, keyed by the text of built strings (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'Page');
    assert.equal(nodeByLabel(walk, 'pageCache (lib/docs.mjs)').rootKind, 'static-map');
    assert.match(pathText(walk), /^module lib\/docs\.mjs --export pageCache--> pageCache \(lib\/docs\.mjs\) --get\("page:(intro:revision-1|usage:revision-2)"\)--> Page$/);
  });

  test(`a key sliced from a longer string says which text it was cut from (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'Layout');
    assert.equal(pathText(walk), 'module scope of lib/docs.mjs --layouts--> layouts (lib/docs.mjs) --get(slice of "layout:default-template-with-a-long-name…")--> Layout');
  });

  test(`a top-level let that is not exported is a binding of the module scope (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'Draft');
    assert.equal(pathText(walk), 'module scope of lib/docs.mjs --current--> Draft');
    assert.equal(nodeByLabel(walk, 'module scope of lib/docs.mjs').rootKind, 'module');
  });

  test(`a local of top-level code waiting at an await is held by its module (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'ProjectHost');
    assert.equal(pathText(walk), 'module lib/pending.mjs --local of top-level code (awaiting)--> ProjectHost');
  });

  test(`every module scope names its file (${name})`, { skip }, async () => {
    const scopes = (await graph()).instances('system / Context').filter((n) => n.rootKind === 'module');
    assert.ok(scopes.some((n) => n.label === 'module scope of esModules.mjs'), 'the main module is found');
    assert.ok(scopes.some((n) => n.label === 'module scope of node:internal/modules/esm/loader'));
    assert.deepEqual(scopes.filter((n) => n.label.startsWith('module scope') && !/^module scope of \S/.test(n.label)).map((n) => `${n.label} @${n.id}`), []);
  });
}

test('an export reached first through an importing module still reads from the module that exports it', () => {
  // main.mjs imports DocRenderer: its imports array holds the same Cell as lib/docs.mjs's exports table, closer to the root.
  const b = new SnapshotBuilder()
    .node('main', 'hidden', 'system / SourceTextModule')
    .node('imports', 'array', '')
    .node('loader', 'object', 'ModuleLoader')
    .node('cache', 'object', 'LoadCache')
    .node('job', 'object', 'ModuleJob')
    .node('docsWrap', 'object', 'ModuleWrap')
    .node('url', 'string', 'file:///app/lib/docs.mjs')
    .node('docs', 'hidden', 'system / SourceTextModule')
    .node('exports', 'array', '')
    .node('exportName', 'string', 'DocRenderer')
    .node('cell', 'hidden', 'system / Cell')
    .node('target', 'closure', 'DocRenderer')
    .edge('root', 'element', 1, 'main')
    .edge('root', 'element', 2, 'loader')
    .edge('main', 'hidden', 6, 'imports')
    .edge('imports', 'internal', '0', 'cell')
    .edge('loader', 'property', 'loadCache', 'cache')
    .edge('cache', 'property', 'job', 'job')
    .edge('job', 'property', 'module', 'docsWrap')
    .edge('docsWrap', 'property', 'url', 'url')
    .edge('docsWrap', 'internal', '2', 'docs')
    .edge('docs', 'hidden', 0, 'exports')
    .edge('exports', 'internal', '3', 'exportName')
    .edge('exports', 'internal', '4', 'cell')
    .edge('cell', 'internal', 'value', 'target');
  const graph = HeapGraph.build(b.build());
  const walk = graph.walk(b.idOf('target'));
  assert.equal(pathText(walk), 'module docs.mjs --export DocRenderer--> DocRenderer');
  assert.equal(nodeByLabel(walk, 'module docs.mjs').id, b.idOf('docsWrap'));
});
