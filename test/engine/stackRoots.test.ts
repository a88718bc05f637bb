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

  test(`locals of running code: the module's top-level code, an interpreted function, an optimized one (${name})`, { skip }, async () => {
    const graph = await fixtureGraph('runningTopLevel', node!);
    const local = (className: string): string => {
      const [instance] = graph.instances(className, 1);
      assert.ok(instance, `no ${className} in the snapshot`);
      return pathText(graph.walk(instance.id));
    };
    assert.equal(local('ProjectHost'), '(Stack roots) --on the stack of lib/startup.js top-level code--> ProjectHost');
    assert.equal(local('BootConfig'), '(Stack roots) --on the stack of boot--> BootConfig');
    assert.equal(local('HotLocal'), '(Stack roots) --on the stack of hot--> HotLocal');
  });
}

test('stack slots: an interpreted frame ends in its BytecodeArray and function, a compiled one in its function, Context and code', () => {
  const b = new SnapshotBuilder()
    .node('gcRoots', 'synthetic', '(GC roots)')
    .node('stack', 'synthetic', '(Stack roots)')
    .node('spilled', 'object', 'Spilled')
    .node('compiledFn', 'closure', 'render')
    .node('compiledShared', 'code', 'render')
    .node('context', 'object', 'system / Context')
    .node('optimized', 'code', 'system / Code')
    .node('local', 'object', 'Local')
    .node('bytecode', 'code', 'system / BytecodeArray')
    .node('fn', 'closure', 'handle')
    .node('shared', 'code', 'handle')
    .node('builtinCode', 'code', '(CEntry builtin code)')
    .node('unknown', 'object', 'Unknown')
    .node('laterCode', 'code', 'system / Code')
    .edge('root', 'element', 1, 'gcRoots')
    .edge('gcRoots', 'element', 1, 'stack')
    .edge('stack', 'internal', '1', 'spilled')
    .edge('stack', 'internal', '2', 'compiledFn')
    .edge('stack', 'internal', '3', 'context')
    .edge('stack', 'internal', '4', 'optimized')
    .edge('stack', 'internal', '5', 'local')
    .edge('stack', 'internal', '6', 'bytecode')
    .edge('stack', 'internal', '7', 'fn')
    .edge('stack', 'internal', '8', 'builtinCode')
    .edge('stack', 'internal', '9', 'unknown')
    .edge('stack', 'internal', '10', 'laterCode')
    .edge('compiledFn', 'internal', 'shared', 'compiledShared')
    .edge('fn', 'internal', 'shared', 'shared');
  const graph = HeapGraph.build(b.build());
  const path = (key: string): string => pathText(graph.walk(b.idOf(key)));
  assert.equal(path('spilled'), '(Stack roots) --on the stack of render--> Spilled');
  assert.equal(path('local'), '(Stack roots) --on the stack of handle--> Local');
  // A builtin's frame, or code with no function before it: nothing says whose frame this is.
  assert.equal(path('unknown'), '(Stack roots) --on the stack (the snapshot does not say whose frame)--> Unknown');
});
