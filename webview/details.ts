/**
 * The details pane (DevTools' retainers pane for one node): id, type, sizes,
 * distance, where it comes from, every retainer as a list (the counts agree
 * with the list and say how many the graph draws), and the actions on that
 * node.
 */
import type { AllocationFrame, AllocationStack } from '../src/protocol/allocations';
import type { NodeDetails, SourceLocation, WalkDirection, WalkEdge, WalkNode } from '../src/protocol/walk';
import { clear, h } from './dom';
import { formatBytes, formatId, truncate } from './format';
import type { MoreViewNode } from './model';

/** What the graph around the node shows, for counts that agree with the drawing. */
export interface NodeContext {
  direction: WalkDirection;
  /** Retainer edges of this node in the graph (to ignore), none for the target. */
  outgoing: WalkEdge[];
  /** Its retainers drawn in a retainer walk. */
  drawnRetainers: number;
  /** Its retainers the walk left out: cut ("+N more"), weak, V8 internals; debugger-only ones the view hides. */
  cut: number;
  weak: number;
  internal: number;
  /** Workspace folders: source files inside one read relative to it. */
  folders: readonly string[];
  /** The snapshot is of a live process whose ids are still valid: objects can be watched. */
  live: boolean;
}

export interface DetailsEvents {
  /** Walk the retainers of this node instead. */
  walkFrom(id: number): void;
  /** Walk what this node holds (objgraph's show_refs). */
  showHolds(id: number): void;
  /** Ignore these retainer edges and walk again. */
  ignore(edges: WalkEdge[]): void;
  revealSource(id: number): void;
  /** Open where a frame of the node's allocation stack starts. */
  revealFrame(frame: AllocationFrame): void;
  /** Watch Until Collected (a live process only). */
  watch(id: number, label: string): void;
  /** A retainer in the list was chosen: select it in the graph if it is drawn. */
  pick(id: number): void;
  expandMore(more: MoreViewNode, all: boolean): void;
  close(): void;
}

export class DetailsPane {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly events: DetailsEvents) {
    const close = h('button', { type: 'button', class: 'close', title: 'Close details (Escape)', 'aria-label': 'Close details' }, '×');
    close.addEventListener('click', () => this.events.close());
    this.body = h('div', { class: 'details-body' });
    this.element = h('aside', { class: 'details', 'aria-label': 'Node details', hidden: true }, close, this.body);
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  hide(): void {
    this.element.hidden = true;
  }

  /** Shows what the walk already knows; the retainer list fills in when the host answers. */
  showNode(node: WalkNode, context: NodeContext, details: NodeDetails | null): void {
    this.element.hidden = false;
    clear(this.body);
    const known = details && details.node.id === node.id ? details : null;
    const facts: [string, string][] = [
      ['Id', formatId(node.id)],
      ['Type', node.type],
      ['Class', node.name],
      ['Self size', formatBytes(node.selfSize)],
      ['Retained size', node.retainedSize === null ? 'not computed yet' : formatBytes(node.retainedSize)],
      ['Distance', node.distance === null ? 'unreachable from roots' : String(node.distance)],
      ['Retainers', known ? retainerCount(known) : String(node.retainerCount)],
    ];
    if (context.direction === 'retainers') facts.push(['In this graph', drawnText(context)]);
    if (node.rootKind) facts.splice(1, 0, ['Root kind', node.rootKind]);
    if (node.location) facts.push(['Source', sourceText(node.location, context.folders)]);
    if (node.preview) facts.push(['Preview', truncate(node.preview, 200)]);

    const walkFrom = this.action('Walk from here', 'Walk the retainers of this object instead (Back returns here)', () => this.events.walkFrom(node.id), 'walk-from-here');
    const holds = this.action('Show what it holds', 'Walk what this object references, down from it, with the same depth and fan-out (objgraph\'s show_refs)', () => this.events.showHolds(node.id), 'show-holds');
    const ignore = this.action('Ignore this retainer', 'Walk again as if this object did not hold what it holds in the graph', () => this.events.ignore(context.outgoing), 'ignore-retainer');
    // The target holds nothing in this graph: there is no retainer edge of it to ignore.
    ignore.hidden = context.outgoing.length === 0 || context.direction === 'references';
    const actions = [walkFrom, holds, ignore];
    if (context.live) {
      const label = `${truncate(node.name, 60)} ${formatId(node.id)}`;
      actions.push(this.action('Watch Until Collected', 'Keep this object\'s snapshot id and check whether the process has collected it (Watches view in Run and Debug). Ids live only while this inspector session is open.', () => this.events.watch(node.id, label), 'watch-until-collected'));
    }
    // Offered only where a file is known: a plain object, a Node internal or an anonymous script has none to open.
    if (node.location?.url && isFile(node.location.url)) {
      actions.push(this.action('Reveal source', `Open ${sourceText(node.location, context.folders)}`, () => this.events.revealSource(node.id), 'reveal-source'));
    }

    this.body.append(
      h('h2', { class: 'details-title' }, truncate(node.label || node.name, 120)),
      h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
      h('div', { class: 'details-actions' }, ...actions),
      h('h3', {}, known ? `Retainers (${known.totalRetainers ?? known.retainers.length})` : `Retainers (${node.retainerCount} strong)`),
      known ? this.retainerList(node, known) : h('p', { class: 'loading' }, 'Loading retainers…'),
      ...(known?.allocation ? this.allocationSection(known.allocation) : []),
    );
  }

  showMore(more: MoreViewNode): void {
    this.element.hidden = false;
    clear(this.body);
    const hidden = more.hiddenByWalk + more.hiddenByView;
    const what = more.direction === 'references' ? 'references' : 'retainers';
    const ten = this.action('Show 10 more', 'Raise the fan-out for this node by 10', () => this.events.expandMore(more, false), 'more-ten');
    const all = this.action('Show all', `Show every one of the ${what} of this node`, () => this.events.expandMore(more, true), 'more-all');
    this.body.append(
      h('h2', { class: 'details-title' }, `+${hidden} more ${what}`),
      h('p', {}, `${what === 'references' ? 'References' : 'Retainers'} of ${formatId(more.forId)} left out by the fan-out, the depth limit, or to keep the view fast.`),
      h('div', { class: 'details-actions' }, ten, all),
    );
  }

  /** Where it was allocated: each frame links to its source; "not recorded" rather than a blank. */
  private allocationSection(stack: AllocationStack): HTMLElement[] {
    const heading = h('h3', {}, 'Allocation stack');
    if (stack.state === 'not-recorded') return [heading, h('p', { class: 'allocation-none', id: 'allocation-stack' }, 'Not recorded: this snapshot was taken without allocation stacks (Record Growth → "with allocation stacks" records them).')];
    if (stack.state === 'no-stack') return [heading, h('p', { class: 'allocation-none', id: 'allocation-stack' }, 'No stack for this object: it was allocated before tracking began, or V8 dropped its stack when the GC moved it.')];
    const items = stack.frames.map((frame) => {
      const where = frame.file ? `${frame.file}${frame.line === null ? '' : `:${frame.line + 1}`}` : '(V8)';
      const text = `${truncate(frame.functionName || '(anonymous)', 60)} — ${truncate(where, 80)}`;
      if (!frame.scriptName || !isFile(frame.scriptName)) return h('li', {}, h('span', { class: 'frame' }, text));
      const link = h('button', { type: 'button', class: 'frame link', title: `Open ${where}` }, text);
      link.addEventListener('click', () => this.events.revealFrame(frame));
      return h('li', {}, link);
    });
    return [heading, h('p', { class: 'allocation-site' }, `Allocated at ${truncate(stack.site.label, 120)}`), h('ol', { class: 'allocation-stack', id: 'allocation-stack' }, ...items)];
  }

  private retainerList(node: WalkNode, details: NodeDetails): HTMLElement {
    if (details.retainers.length === 0) return h('p', {}, node.distance === 0 ? 'A GC root: nothing retains it.' : 'No retainers.');
    const total = details.totalRetainers ?? details.retainers.length;
    const more = total > details.retainers.length ? h('p', { class: 'loading' }, `The first ${details.retainers.length} of ${total}, closest to a root first.`) : null;
    const items = details.retainers.map(({ edge, node: holder }) => {
      const pick = h('button', { type: 'button', class: 'retainer-pick', title: `Select ${formatId(holder.id)}` }, h('span', { class: 'edge-name' }, edge.label || edge.name), ' in ', h('span', { class: 'holder' }, truncate(holder.label || holder.name, 60)), ' ', h('span', { class: 'id' }, formatId(holder.id)), holder.distance === null ? '' : h('span', { class: 'distance' }, ` · distance ${holder.distance}`));
      pick.addEventListener('click', () => this.events.pick(holder.id));
      const ignore = h('button', { type: 'button', class: 'retainer-ignore', title: 'Ignore this retainer and walk again' }, 'Ignore');
      ignore.addEventListener('click', () => this.events.ignore([edge]));
      return h('li', { 'data-id': holder.id, class: edge.type === 'weak' ? 'weak' : undefined }, pick, ignore);
    });
    const list = h('ul', { class: 'retainers' }, ...items);
    return more ? h('div', {}, list, more) : list;
  }

  private action(label: string, title: string, run: () => void, id: string): HTMLButtonElement {
    const button = h('button', { type: 'button', title, id }, label);
    button.addEventListener('click', run);
    return button;
  }
}

/** `8 (7 strong, 1 weak)`: the same number the list below has. */
function retainerCount(details: NodeDetails): string {
  const total = details.totalRetainers ?? details.retainers.length;
  if (total > details.retainers.length) return String(total);
  const weak = details.retainers.filter((r) => r.edge.type === 'weak').length;
  return weak > 0 ? `${total} (${total - weak} strong, ${weak} weak)` : String(total);
}

/** `1 drawn · 6 V8 internals hidden (toggle "V8 internals")`: every retainer the graph does not draw is accounted for. */
function drawnText(context: NodeContext): string {
  const parts = [`${context.drawnRetainers} drawn`];
  if (context.cut > 0) parts.push(`${context.cut} behind "+${context.cut} more"`);
  if (context.internal > 0) parts.push(`${context.internal} V8 internal${context.internal === 1 ? '' : 's'} hidden (toggle "V8 internals")`);
  if (context.weak > 0) parts.push(`${context.weak} weak hidden (toggle "Weak edges")`);
  return parts.join(' · ');
}

/** Is this script name a file on disk (rather than `node:internal/…`, an http URL or an eval)? */
export function isFile(url: string): boolean {
  return url.startsWith('file://') || url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url);
}

/** `lib/processor.js:11` inside a workspace folder, the full path outside, `node:internal/timers:34` for Node's own; 1-based line. */
export function sourceText(location: SourceLocation, folders: readonly string[]): string {
  if (!location.url) return `script ${location.scriptId}, line ${location.line + 1}`;
  let path = location.url;
  if (path.startsWith('file://')) {
    try {
      path = decodeURIComponent(new URL(path).pathname).replace(/^\/([A-Za-z]:)/, '$1');
    } catch {
      // keep the URL as written
    }
  }
  for (const folder of folders) {
    const base = folder.replace(/[\\/]+$/, '');
    if (path.startsWith(`${base}/`) || path.startsWith(`${base}\\`)) {
      path = path.slice(base.length + 1).replace(/\\/g, '/');
      break;
    }
  }
  return `${path}:${location.line + 1}`;
}
