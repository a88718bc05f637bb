/**
 * The page of every Retainer Graph webview (the retainer graph, the Growth
 * view), as one pure string template so the extension host and the browser
 * tests serve exactly the same HTML. No vscode import: the host passes
 * `webview.cspSource` and the `asWebviewUri` results in. Pages differ only in
 * their bundle (`WEBVIEW_PAGES`).
 */

/** Each webview's script and stylesheet, in the extension's `dist/` folder (scripts/build.mjs writes them). */
export const WEBVIEW_PAGES = {
  /** The single-object retainer graph. */
  graph: { script: 'webview.js', style: 'webview.css' },
  /** What grew between snapshots, and the merged paths of a class. */
  growth: { script: 'growthView.js', style: 'growthView.css' },
  /** The memory chart beside the debugger. */
  memory: { script: 'memoryView.js', style: 'memoryView.css' },
} as const;

export type WebviewPageKind = keyof typeof WEBVIEW_PAGES;

export interface WebviewHtmlInput {
  /** `webview.cspSource` (or the test server's origin). */
  cspSource: string;
  /** URI of the page's script in `dist/` (`WEBVIEW_PAGES[page].script`). */
  scriptUri: string;
  /** URI of the page's stylesheet in `dist/` (`WEBVIEW_PAGES[page].style`). */
  styleUri: string;
  /** A fresh random nonce per page load (base64 or hex, no quotes). */
  nonce: string;
  /** Panel title; may contain heap strings, so it is escaped. */
  title: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/** Returns the full HTML document of a webview: its script and stylesheet under a strict CSP. */
export function renderWebviewHtml({ cspSource, scriptUri, styleUri, nonce, title }: WebviewHtmlInput): string {
  // A nonce with anything but base64/hex characters could break out of the CSP string.
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) throw new Error('The webview nonce must be base64 or hex characters.');
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app" data-title="${escapeHtml(title)}"></div>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}
