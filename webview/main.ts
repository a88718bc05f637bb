// Entry of the retainer graph webview (bundled to dist/webview.js as an IIFE).
import { App } from './app';
import { connectHost } from './vscodeApi';

const root = document.getElementById('app');
if (root) new App(root, connectHost()).start();
