/**
 * Messages between the extension host and the retainer graph webview.
 * One union per direction, discriminated by `type`; handshake: the webview
 * sends `ready`, the host answers with `init`.
 */
import type { NodeDetails, Walk, WalkOptions } from './walk';

/** View toggles the user flips in the toolbar; persisted with the webview state. */
export interface ViewSettings {
  /** Hide nodes whose only role is a debugger-held retainer. */
  hideDebugger: boolean;
  /** Show V8 internals (feedback cells, maps, code) instead of collapsing them. */
  showInternals: boolean;
}

export type HostToWebview =
  /** First message after `ready`: the walk to draw and where it came from. */
  | { type: 'init'; walk: Walk; title: string; settings: ViewSettings }
  /** A new walk of the same snapshot (after a re-walk, expand, ignore or walk-from-here). */
  | { type: 'walk'; walk: Walk }
  /** Answer to `details`. */
  | { type: 'details'; details: NodeDetails }
  /** The host is working (re-walking); the view shows a spinner until the next `walk` or `error`. */
  | { type: 'busy'; message: string }
  /** A request failed; shown in the view, never as HTML. */
  | { type: 'error'; message: string };

export type WebviewToHost =
  /** The webview's script is running and listening. */
  | { type: 'ready' }
  /** Walk again with new options (depth, fan-out, weak edges, expanded nodes, ignored edges). */
  | { type: 'rewalk'; target: number; options: WalkOptions }
  /** Ask for the full details of one node (all its retainers). */
  | { type: 'details'; id: number }
  /** Open the source of a function or class node in the editor. */
  | { type: 'revealSource'; id: number }
  /** Save an export; SVG is serialized by the webview, DOT and JSON by the host. */
  | { type: 'export'; format: 'dot' | 'json' | 'svg'; svg?: string }
  /** Put text (the shortest path) on the clipboard. */
  | { type: 'copyText'; text: string }
  /** Persist toolbar toggles as the user's defaults. */
  | { type: 'settingsChanged'; settings: ViewSettings };
