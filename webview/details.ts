/**
 * The details pane (DevTools' retainers pane for one node): id, type, sizes,
 * distance, every retainer as a list, and the actions on that node.
 */
import type { NodeDetails, WalkEdge, WalkNode } from '../src/protocol/walk';
import { clear, h } from './dom';
import { formatBytes, formatId, truncate } from './format';
import type { MoreViewNode } from './model';

export interface DetailsEvents {
  walkFrom(id: number): void;
  /** Ignore these retainer edges and walk again. */
  ignore(edges: WalkEdge[]): void;
  revealSource(id: number): void;
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
  showNode(node: WalkNode, outgoing: WalkEdge[], details: NodeDetails | null): void {
    this.element.hidden = false;
    clear(this.body);
    const facts: [string, string][] = [
      ['Id', formatId(node.id)],
      ['Type', node.type],
      ['Class', node.name],
      ['Self size', formatBytes(node.selfSize)],
      ['Retained size', node.retainedSize === null ? 'not computed' : formatBytes(node.retainedSize)],
      ['Distance', node.distance === null ? 'unreachable from roots' : String(node.distance)],
      ['Retainers', String(node.retainerCount)],
    ];
    if (node.rootKind) facts.splice(1, 0, ['Root kind', node.rootKind]);
    if (node.location) facts.push(['Source', `${node.location.url ?? `script ${node.location.scriptId}`}:${node.location.line + 1}:${node.location.column + 1}`]);
    if (node.preview) facts.push(['Preview', truncate(node.preview, 200)]);

    const walkFrom = this.action('Walk from here', 'Walk the retainers of this object instead', () => this.events.walkFrom(node.id), 'walk-from-here');
    const ignore = this.action('Ignore this retainer', 'Walk again as if this object did not hold what it holds in the graph', () => this.events.ignore(outgoing), 'ignore-retainer');
    // The target holds nothing in this graph: there is no retainer edge of it to ignore.
    ignore.hidden = outgoing.length === 0;
    const reveal = this.action('Reveal source', node.location ? 'Open the function or class source' : 'The snapshot has no source position for this object', () => this.events.revealSource(node.id), 'reveal-source');
    reveal.disabled = !node.location;

    this.body.append(
      h('h2', { class: 'details-title' }, truncate(node.label || node.name, 120)),
      h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
      h('div', { class: 'details-actions' }, walkFrom, ignore, reveal),
      h('h3', {}, `Retainers (${node.retainerCount})`),
      details && details.node.id === node.id ? this.retainerList(node, details) : h('p', { class: 'loading' }, 'Loading retainers…'),
    );
  }

  showMore(more: MoreViewNode): void {
    this.element.hidden = false;
    clear(this.body);
    const hidden = more.hiddenByWalk + more.hiddenByView;
    const ten = this.action('Show 10 more', 'Raise the fan-out for this node by 10', () => this.events.expandMore(more, false), 'more-ten');
    const all = this.action('Show all', 'Show every retainer of this node', () => this.events.expandMore(more, true), 'more-all');
    this.body.append(
      h('h2', { class: 'details-title' }, `+${hidden} more retainers`),
      h('p', {}, `Retainers of ${formatId(more.forId)} left out by the fan-out limit or to keep the view fast.`),
      h('div', { class: 'details-actions' }, ten, all),
    );
  }

  private retainerList(node: WalkNode, details: NodeDetails): HTMLElement {
    if (details.retainers.length === 0) return h('p', {}, node.distance === 0 ? 'A GC root: nothing retains it.' : 'No retainers.');
    const items = details.retainers.map(({ edge, node: holder }) => {
      const pick = h('button', { type: 'button', class: 'retainer-pick', title: `Select ${formatId(holder.id)}` }, h('span', { class: 'edge-name' }, edge.label || edge.name), ' in ', h('span', { class: 'holder' }, truncate(holder.label || holder.name, 60)), ' ', h('span', { class: 'id' }, formatId(holder.id)), holder.distance === null ? '' : h('span', { class: 'distance' }, ` · distance ${holder.distance}`));
      pick.addEventListener('click', () => this.events.pick(holder.id));
      const ignore = h('button', { type: 'button', class: 'retainer-ignore', title: 'Ignore this retainer and walk again' }, 'Ignore');
      ignore.addEventListener('click', () => this.events.ignore([edge]));
      return h('li', { 'data-id': holder.id, class: edge.type === 'weak' ? 'weak' : undefined }, pick, ignore);
    });
    return h('ul', { class: 'retainers' }, ...items);
  }

  private action(label: string, title: string, run: () => void, id: string): HTMLButtonElement {
    const button = h('button', { type: 'button', title, id }, label);
    button.addEventListener('click', run);
    return button;
  }
}
