// A real js-debug session: stop at a `debugger;` statement, take a variable
// from the Variables tree over DAP, and run Show Retainers on it with the
// argument VS Code's context menu passes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShowResult } from '../../../src/extension/main';
import { buildViewGraph } from '../../../webview/model';
import { extensionApi, fixture, waitFor } from './helpers';

interface DapScope {
  name: string;
  variablesReference: number;
  expensive: boolean;
}
interface DapVariable {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
  evaluateName?: string;
}

describe('Show Retainers in a js-debug session', function () {
  this.timeout(180_000);
  let stopped: vscode.DebugStackFrame;

  before(async () => {
    await extensionApi();
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'node',
      request: 'launch',
      name: 'Retainer Graph suite',
      program: fixture('leakyBots.js'),
      stopOnEntry: false,
      skipFiles: ['<node_internals>/**'],
    });
    assert.ok(started, 'the debug session started');
    stopped = await waitFor(
      'the debugger; statement in checkpoint()',
      () => {
        const item = vscode.debug.activeStackItem;
        return item instanceof vscode.DebugStackFrame ? item : undefined;
      },
      90_000,
    );
  });

  after(async () => {
    await vscode.debug.stopDebugging();
    console.log((await extensionApi()).logLines().join('\n'));
  });

  async function localVariable(name: string): Promise<{ scope: DapScope; variable: DapVariable }> {
    const session = stopped.session;
    const { scopes } = (await session.customRequest('scopes', { frameId: stopped.frameId })) as { scopes: DapScope[] };
    const scope = scopes[0];
    const { variables } = (await session.customRequest('variables', { variablesReference: scope.variablesReference })) as { variables: DapVariable[] };
    const variable = variables.find((v) => v.name === name);
    assert.ok(variable, `${name} is in the ${scope.name} scope (${variables.map((v) => v.name).join(', ')})`);
    return { scope, variable };
  }

  it('stopped in a concrete child session of type pwa-node', () => {
    assert.equal(stopped.session.type, 'pwa-node');
    assert.ok(stopped.session.parentSession || '__pendingTargetId' in stopped.session.configuration);
  });

  it('walks a paused local variable back to Processor.instanceMap', async () => {
    const api = await extensionApi();
    const { scope, variable } = await localVariable('loader');
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainers', {
      sessionId: stopped.session.id,
      container: scope,
      variable,
    });
    assert.ok(result, `Show Retainers returned a walk (messages: ${JSON.stringify(api.messages().slice(-3))})`);
    const walk = result.walk;
    assert.equal(walk.nodes.find((n) => n.id === walk.target)?.name, 'ResourceLoader');
    const labels = walk.nodes.map((n) => n.label);
    assert.ok(labels.some((l) => l.includes('Processor.instanceMap')), `the static map is in the graph: ${labels.join(' | ')}`);
    assert.equal(result.snapshotKey, `debug:${stopped.session.id}`);
  });

  it('draws nothing that only the paused debugger holds: the scope object the Variables view materialized hides with the debugger retainers', async () => {
    const api = await extensionApi();
    const { scope, variable } = await localVariable('loader');
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainers', { sessionId: stopped.session.id, container: scope, variable });
    assert.ok(result, `a walk (messages: ${JSON.stringify(api.messages().slice(-3))})`);
    const { walk } = result;
    // The paused frame's scope, as V8 hands it to the debugger: an object holding `.loader`, held by a DevTools handle alone.
    const scopeObject = walk.edges.find((edge) => edge.to === walk.target && edge.label === '.loader' && walk.nodes.find((n) => n.id === edge.from)?.name === 'Object');
    assert.ok(scopeObject, `the materialized scope is a retainer: ${walk.edges.filter((e) => e.to === walk.target).map((e) => e.label).join(', ')}`);
    assert.equal(walk.nodes.find((n) => n.id === scopeObject.from)?.rootKind, 'debugger');
    // As the view draws it by default (retainerGraph.hideDebuggerRetainers): every object but a root hangs under a drawn holder or a "+N more".
    const view = buildViewGraph(walk, { hideDebugger: true, showInternals: false });
    for (const node of view.nodes) {
      if (node.kind !== 'object' || node.node.id === walk.target || node.node.rootKind !== null) continue;
      assert.ok(view.edges.some((edge) => edge.to === node.key), `${node.node.label} @${node.node.id} is drawn with nothing above it`);
    }
    assert.ok(!view.nodes.some((node) => node.key === `n${scopeObject.from}`), 'the scope object is not drawn');
  });

  it('resolves a Map entry to its value', async () => {
    const api = await extensionApi();
    const { variable: processors } = await localVariable('processors');
    const { variables: entries } = (await stopped.session.customRequest('variables', { variablesReference: processors.variablesReference })) as { variables: DapVariable[] };
    // js-debug lists the entries under a synthetic "[[Entries]]" node.
    let entry = entries.find((v) => v.evaluateName?.includes('.entries()'));
    if (!entry) {
      const holder = entries.find((v) => v.name.includes('Entries'));
      assert.ok(holder, `the Map shows its entries: ${entries.map((v) => v.name).join(', ')}`);
      const inner = (await stopped.session.customRequest('variables', { variablesReference: holder.variablesReference })) as { variables: DapVariable[] };
      entry = inner.variables.find((v) => v.evaluateName?.includes('.entries()'));
    }
    assert.ok(entry?.evaluateName, 'an entry has an evaluateName');
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainers', {
      sessionId: stopped.session.id,
      variable: entry,
    });
    assert.ok(result, `Show Retainers on a Map entry returned a walk (messages: ${JSON.stringify(api.messages().slice(-3))})`);
    assert.equal(result.walk.nodes.find((n) => n.id === result.walk.target)?.name, 'Processor', 'the entry resolved to its value');
  });

  it('accepts a Watch expression as the Watch view passes it (no container)', async () => {
    // What VS Code serializes for a root watch expression: its text is its evaluateName.
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainers', {
      sessionId: stopped.session.id,
      variable: { name: 'loader.app', value: '', variablesReference: 0, evaluateName: 'loader' },
    });
    assert.ok(result, 'a walk of the watched expression');
    assert.equal(result.walk.nodes.find((n) => n.id === result.walk.target)?.name, 'ResourceLoader');
  });

  it('leaves the Variables view working and the program paused', async () => {
    const { variable } = await localVariable('loader');
    assert.match(variable.value, /ResourceLoader/);
    assert.ok(vscode.debug.activeStackItem instanceof vscode.DebugStackFrame, 'still paused');
  });

  it('evaluates an expression in the selected frame', async () => {
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfExpression', {
      expression: 'processors',
      target: { kind: 'debugSession', sessionId: stopped.session.id },
    });
    assert.ok(result, 'a walk of a frame-local expression');
    assert.equal(result.walk.nodes.find((n) => n.id === result.walk.target)?.name, 'Map');
  });

  it('works while the program runs (evaluates globally)', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await waitFor('the program to run', () => (vscode.debug.activeStackItem instanceof vscode.DebugStackFrame ? undefined : true), 30_000);
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfExpression', {
      expression: 'Processor.instanceMap.get("bot2")',
      target: { kind: 'debugSession', sessionId: stopped.session.id },
    });
    assert.ok(result, `a walk while running (messages: ${JSON.stringify(api.messages().slice(-2))})`);
    assert.equal(result.walk.nodes.find((n) => n.id === result.walk.target)?.name, 'Processor');
  });

  it('releases the kept snapshot when the session ends', async () => {
    const api = await extensionApi();
    const key = `debug:${stopped.session.id}`;
    assert.ok(api.keptSnapshots().includes(key));
    await vscode.debug.stopDebugging();
    await waitFor('the snapshot to be released', () => (!api.keptSnapshots().includes(key) ? true : undefined), 30_000);
  });
});
