// A closure scope is named after the function that made it (objgraph reads a
// chain as code: `createTypeChecker`'s variables), whether that function is
// still alive or was collected after it ran; blocks name their function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph } from '../../src/engine/index';
import { fixtureRuntimes } from '../fixtures/snapshot';
import { SnapshotBuilder } from './helpers/fromJson';
import { edgeLabelsInto, fixtureGraph, nodeByLabel, pathText } from './helpers/fixtureGraph';

function walkOf(graph: HeapGraph, className: string) {
  const [instance] = graph.instances(className, 1);
  assert.ok(instance, `no ${className} in the snapshot`);
  return graph.walk(instance.id);
}

for (const { name, node } of fixtureRuntimes()) {
  const skip = node === null ? `${name} is not provisioned (.vscode-test/)` : false;
  const graph = (): Promise<HeapGraph> => fixtureGraph('closure', node!);

  test(`a scope shared by many inner functions is named after the function that owns it (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'CheckedProgram');
    const scope = nodeByLabel(walk, 'closure scope of createTypeChecker');
    assert.equal(scope.rootKind, 'closure');
    assert.deepEqual(edgeLabelsInto(walk, walk.target), ['closure: program']);
    assert.match(pathText(walk), / --scope--> closure scope of createTypeChecker --closure: program--> CheckedProgram$/);
  });

  test(`the owner is named after it was collected (subscribe ran once) (${name})`, { skip }, async () => {
    const g = await graph();
    assert.equal(g.instances('subscribe').length, 0, 'subscribe itself is gone from the heap');
    const walk = walkOf(g, 'LeakTarget');
    assert.match(pathText(walk), /onTick --scope--> closure scope of subscribe --closure: big--> LeakTarget$/);
  });

  test(`an anonymous function's scope is named after its file (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'AnonymousState');
    assert.match(pathText(walk), /read --scope--> closure scope of \(anonymous function\) in closure\.js --closure: state--> AnonymousState$/);
  });

  test(`a loop body's scope is a block of the code around it (${name})`, { skip }, async () => {
    const walk = walkOf(await graph(), 'LoopTarget');
    assert.match(pathText(walk), /onLoop --scope--> block scope in closure\.js top-level code --closure: loopValue--> LoopTarget$/);
  });
}

test('the owning SharedFunctionInfo names a scope even where its ScopeInfo alone would read as a block', () => {
  // No name slot before the enclosing ScopeInfo (slot 1 follows slot 0): without its owner this is a block of `outer`.
  const b = new SnapshotBuilder()
    .node('context', 'object', 'system / Context')
    .node('scopeInfo', 'code', 'system / ScopeInfo')
    .node('variable', 'string', 'cache')
    .node('outerInfo', 'code', 'system / ScopeInfo')
    .node('outerName', 'string', 'outer')
    .node('shared', 'code', 'makeCache')
    .node('inner', 'closure', 'lookup')
    .node('value', 'object', 'Cached')
    .edge('root', 'element', 1, 'inner')
    .edge('inner', 'internal', 'context', 'context')
    .edge('context', 'context', 'cache', 'value')
    .edge('context', 'internal', 'scope_info', 'scopeInfo')
    .edge('scopeInfo', 'hidden', 0, 'variable')
    .edge('scopeInfo', 'hidden', 1, 'outerInfo')
    .edge('outerInfo', 'hidden', 0, 'outerName')
    .edge('shared', 'internal', 'name_or_scope_info', 'scopeInfo');
  const walk = (): string => pathText(HeapGraph.build(b.build()).walk(b.idOf('value')));
  assert.equal(walk(), 'lookup --scope--> closure scope of makeCache --closure: cache--> Cached');
});
