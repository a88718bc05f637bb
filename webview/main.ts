// Entry of the retainer graph webview (bundled to dist/webview.js as an IIFE).
import type { WebviewApi, WebviewEvent } from '../src/protocol/webview';
import { App } from './app';
import { isPersistedState, type PersistedState } from './state';
import { connectHost } from './vscodeApi';

const root = document.getElementById('app');
if (root) new App(root, connectHost<WebviewApi, WebviewEvent, PersistedState>(isPersistedState)).start();
