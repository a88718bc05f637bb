// A local of code that is still running is on the stack: say whose frame it
// is in when the snapshot lets us tell, and say plainly when it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph } from '../../src/engine/index';
import { fixtureRuntimes } from '../fixtures/snapshot';
import { SnapshotBuilder } from './helpers/fromJson';
import { fixtureGraph, pathText } from './helpers/fixtureGraph';

for (const { name, node } of fixtureRuntimes()) {
  const skip = node === null ? `${name} is not provisioned (.vscode-test/)` : false;

  test(`locals of running code: the module's top-level code and the function it called (${name})`, { skip }, async () => {
    const graph = await fixtureGraph('runningTopLevel', node!);
    const [host] = graph.instances('ProjectHost', 1);
    assert.equal(pathText(graph.walk(host.id)), '(Stack roots) --on the stack of lib/startup.js top-level code--> ProjectHost');
    const [config] = graph.instances('BootConfig', 1);
    assert.equal(pathText(graph.walk(config.id)), '(Stack roots) --on the stack of boot--> BootConfig');
  });
}

test('a stack slot followed by a compiled frame rather than an interpreted one: the frame is not known', () => {
  const b = new SnapshotBuilder()
    .node('gcRoots', 'synthetic', '(GC roots)')
    .node('stack', 'synthetic', '(Stack roots)')
    .node('kept', 'object', 'Kept')
    .node('local', 'object', 'Local')
    .node('optimized', 'code', 'system / Code')
    .node('bytecode', 'code', 'system / BytecodeArray')
    .node('fn', 'closure', 'handle')
    .node('shared', 'code', 'handle')
    .edge('root', 'element', 1, 'gcRoots')
    .edge('gcRoots', 'element', 1, 'stack')
    .edge('stack', 'internal', '1', 'kept')
    .edge('stack', 'internal', '2', 'optimized')
    .edge('stack', 'internal', '3', 'local')
    .edge('stack', 'internal', '4', 'bytecode')
    .edge('stack', 'internal', '5', 'fn')
    .edge('fn', 'internal', 'shared', 'shared');
  const graph = HeapGraph.build(b.build());
  assert.equal(pathText(graph.walk(b.idOf('kept'))), '(Stack roots) --on the stack (the snapshot does not say whose frame)--> Kept');
  assert.equal(pathText(graph.walk(b.idOf('local'))), '(Stack roots) --on the stack of handle--> Local');
});
