// Proves the extension-host runner itself: this suite runs inside a real VS
// Code, where the extension under development is installed and activates.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'retainer-graph.retainer-graph';

describe('extension host', () => {
  it('runs inside a real VS Code with the extension under development present', () => {
    assert.ok(vscode.version, 'vscode.version is set');
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed in the extension host`);
  });

  it('activates the extension without throwing', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
