// The page the host serves: strict CSP with the nonce, escaped title, nothing remote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWebviewHtml } from '../../src/protocol/webviewHtml';

const input = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/dist/webview.css', nonce: 'q1w2e3+/=', title: 'Retainers of Processor @12' };

test('the page carries a strict Content-Security-Policy with the nonce', () => {
  const html = renderWebviewHtml(input);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
  assert.equal(
    csp,
    "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-q1w2e3+/='; script-src 'nonce-q1w2e3+/='; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net".replace(/'/g, '&#39;'),
  );
  assert.match(html, /<script nonce="q1w2e3\+\/=" src="https:\/\/x\/dist\/webview.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" nonce="q1w2e3\+\/=" href="https:\/\/x\/dist\/webview.css">/);
  assert.match(html, /<div id="app"/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline code');
});

test('a title from heap strings is escaped, and a nonce that could break the CSP is refused', () => {
  const html = renderWebviewHtml({ ...input, title: '</title><script>alert(1)</script>"' });
  assert.ok(html.includes('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</title>'));
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.throws(() => renderWebviewHtml({ ...input, nonce: "x' 'unsafe-inline" }), /nonce/);
});
