/**
 * Notices when an attached process goes away, so its kept snapshot is
 * released. Polls the inspector's HTTP target list (what `listTargets` reads)
 * rather than holding a connection: an idle extra inspector client would
 * change the process we promised to leave as we found it.
 */
import type * as vscode from 'vscode';
import { listTargets } from '../../inspector';

const POLL_MS = 15_000;

export function watchInspectorTarget(host: string, port: number, webSocketUrl: string, onGone: () => void): vscode.Disposable {
  let stopped = false;
  // Only a target once seen in the list can be declared gone: a ws:// URL typed
  // by hand may point at something without a target list.
  let seen = false;
  const check = () => {
    listTargets(host, port, { timeoutMs: 3000 }).then(
      (targets) => {
        if (stopped) return;
        if (targets.some((target) => target.webSocketDebuggerUrl === webSocketUrl)) seen = true;
        else if (seen) gone();
        else stop();
      },
      () => {
        if (stopped) return;
        if (seen) gone(); // nothing listens any more
        else stop();
      },
    );
  };
  check();
  const timer = setInterval(check, POLL_MS);
  timer.unref?.();
  const gone = () => {
    stop();
    onGone();
  };
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return { dispose: stop };
}
