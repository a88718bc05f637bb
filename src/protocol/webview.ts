/**
 * The retainer graph webview's contract with the extension host, on the same
 * typed RPC as the engine worker (rpc.ts): the webview calls `WebviewApi`
 * (replies matched to calls, failures come back as the host's words) and the
 * host sends `WebviewEvent`s. Handshake: the webview notifies `ready`, the
 * host answers with the `init` event.
 */
import type { ToClient, ToServer } from './rpc';
import type { AllocationFrame } from './allocations';
import type { NodeDetails, Walk, WalkOptions } from './walk';

/** View toggles the user flips in the toolbar; persisted with the webview state. */
export interface ViewSettings {
  /** Hide nodes whose only role is a debugger-held retainer. */
  hideDebugger: boolean;
  /** Show V8 internals (feedback cells, maps, code) instead of collapsing them. */
  showInternals: boolean;
}

export type ExportFormat = 'dot' | 'json' | 'svg';

/** What the webview may ask of the host. Every failure rejects with a message written for the user. */
export interface WebviewApi {
  /** The webview's script is running and listening (a notification: the answer is the `init` event). */
  ready(): void;
  /** Walk again, from `target`, with new options (depth, fan-out, weak edges, raised fan-outs, ignored edges). */
  walk(target: number, options: WalkOptions): Promise<Walk>;
  /** What `target` holds, with the same options (objgraph's show_refs). */
  references(target: number, options: WalkOptions): Promise<Walk>;
  /**
   * The view now shows this walk under this title (after a re-walk, "Walk
   * from here", Back or Forward): exports, "Reveal source" and the tab title
   * follow it. A notification.
   */
  showing(walk: Walk, title: string): void;
  /** The full details of one node (all its retainers). */
  details(id: number): Promise<NodeDetails>;
  /** Open the source of a function or class node in the editor. */
  revealSource(id: number): Promise<void>;
  /** Open where a frame of an allocation stack starts. */
  revealFrame(frame: AllocationFrame): Promise<void>;
  /**
   * Watch Until Collected: keep this object's snapshot id and say when the
   * process has collected it (the Watches view). Only for a graph of a live
   * process (`init`'s `live`). Resolves with what the first check found.
   */
  watchObject(id: number, label: string): Promise<'alive' | 'collected'>;
  /** Save an export of the shown walk; SVG is serialized by the webview, DOT and JSON by the host. */
  exportWalk(format: ExportFormat, svg?: string): Promise<void>;
  /** Put text (the shortest path) on the clipboard. */
  copyText(text: string): Promise<void>;
  /** Persist toolbar toggles as the user's defaults. */
  saveSettings(settings: ViewSettings): Promise<void>;
}

export type WebviewEvent =
  /**
   * First event after `ready`: the walk to draw and what it answers. Also
   * re-sent with the same walk once retained sizes are known. `folders` are
   * the workspace folders, so source files read `lib/processor.js:11`.
   */
  | { type: 'init'; walk: Walk; title: string; settings: ViewSettings; folders?: string[]; live?: boolean }
  /** The host shows another query's walk of the same snapshot in this view (the snapshot editor's next class). */
  | { type: 'walk'; walk: Walk; title: string }
  /** The host is working (loading a snapshot); the view shows it until the next walk or message. */
  | { type: 'busy'; message: string }
  /** Something failed outside a call (loading, restoring); shown in the view, never as HTML. */
  | { type: 'error'; message: string };

/** What the webview posts. */
export type ToHost = ToServer<WebviewApi>;
/** What the host posts to the webview. */
export type ToWebview = ToClient<WebviewEvent>;
