/**
 * The merged paths of one class: the answer in words (how many, by which
 * paths, how much memory), new objects or every instance, a legend, and the
 * tree of branches drawn by PathsView.
 */
import type { GrowthReport, MergedPaths } from '../../src/protocol/growth';
import type { PathsScope } from '../../src/protocol/growthView';
import { clear, h } from '../dom';
import { formatCount, truncate } from '../format';
import { roleInfo, type Role } from '../roles';
import { pathRows, type PathRow } from './pathRows';
import { describeRow, PathsView } from './pathsView';
import { pathsHeadline, pathsSizes, unreachableText } from './sentences';

export interface PathsPanelEvents {
  /** The user switched between new objects and every instance. */
  scopeChanged(scope: PathsScope): void;
  /** A branch (or the unreachable objects) asks for one object's retainer graph. */
  showObject(id: number): void;
  /** A "+N more groups" row was opened. */
  showMore(row: Extract<PathRow, { kind: 'more' }>): void;
  close(): void;
  /** Split the groups by allocation site, or not. */
  splitChanged(bySite: boolean): void;
  /** Watch Until Collected on every object of the group at `index`. */
  watchGroup(index: number, label: string): void;
}

/** Groups listed under the tree, with their actions. */
const LISTED_GROUPS = 10;

/** Roots in the legend's order, as the single-object graph names them. */
const ROOT_ROLES: readonly Role[] = ['static-map', 'global', 'module', 'closure', 'gc-root', 'debugger'];

export class PathsPanel {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly headline: HTMLElement;
  private readonly sizes: HTMLElement;
  private readonly unreachable: HTMLElement;
  private readonly status: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly scopeNew: HTMLInputElement;
  private readonly scopeAll: HTMLInputElement;
  private readonly scopeNewText: HTMLElement;
  private readonly view: PathsView;
  private paths: MergedPaths | null = null;
  private reachable = 0;
  private readonly groups: HTMLElement;
  private readonly split: HTMLInputElement;
  private readonly splitLabel: HTMLElement;
  private canWatch = false;

  constructor(private readonly events: PathsPanelEvents) {
    this.heading = h('h2', { class: 'paths-title' });
    this.scopeNew = h('input', { type: 'radio', name: 'scope', value: 'new', id: 'scope-new' });
    this.scopeAll = h('input', { type: 'radio', name: 'scope', value: 'all', id: 'scope-all' });
    this.scopeNewText = h('span', {}, 'New since the first snapshot');
    for (const input of [this.scopeNew, this.scopeAll]) input.addEventListener('change', () => input.checked && this.events.scopeChanged(input.value as PathsScope));
    const close = h('button', { type: 'button', class: 'close', title: 'Close the merged paths', 'aria-label': 'Close the merged paths' }, '×');
    close.addEventListener('click', () => this.events.close());
    const scope = h(
      'fieldset',
      { class: 'scope' },
      h('legend', { class: 'visually-hidden' }, 'Which objects'),
      h('label', { for: 'scope-new' }, this.scopeNew, this.scopeNewText),
      h('label', { for: 'scope-all' }, this.scopeAll, 'All instances'),
    );
    this.headline = h('p', { class: 'paths-headline', 'aria-live': 'polite' });
    this.sizes = h('p', { class: 'paths-sizes' });
    this.unreachable = h('p', { class: 'paths-unreachable', hidden: true });
    this.status = h('div', { class: 'status', role: 'status', hidden: true });
    this.legend = h('ul', { class: 'legend', 'aria-label': 'Legend' });
    this.announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.view = new PathsView({
      activate: (row) => {
        if (row.kind === 'more') this.events.showMore(row);
        else if (row.exampleId !== null) this.events.showObject(row.exampleId);
      },
      selected: (row) => {
        this.announcer.textContent = describeRow(row, this.reachable);
      },
    });
    this.split = h('input', { type: 'checkbox', id: 'split-by-site' });
    this.split.addEventListener('change', () => this.events.splitChanged(this.split.checked));
    this.splitLabel = h('label', { class: 'split-by-site', hidden: true }, this.split, ' Split by allocation site');
    this.groups = h('section', { class: 'path-groups', 'aria-label': 'Groups of merged paths' });
    this.element = h(
      'section',
      { class: 'paths', 'aria-label': 'Merged paths' },
      h('div', { class: 'paths-head' }, this.heading, scope, this.splitLabel, close),
      this.headline,
      this.sizes,
      this.unreachable,
      this.status,
      this.legend,
      this.announcer,
      this.view.element,
      this.groups,
    );
  }

  /** Offer the split when the snapshot has allocation stacks; offer watching while a live recording runs. */
  setOptions({ canSplit, split, canWatch }: { canSplit: boolean; split: boolean; canWatch: boolean }): void {
    this.splitLabel.hidden = !canSplit;
    this.split.checked = canSplit && split;
    this.canWatch = canWatch;
    if (this.paths) this.renderGroups(this.paths);
  }

  /** Which scopes can be asked for: `new` needs a baseline of the same process. */
  setScope(scope: PathsScope, canAskNew: boolean, since: string): void {
    this.scopeNew.checked = scope === 'new';
    this.scopeAll.checked = scope === 'all';
    this.scopeNew.disabled = !canAskNew;
    this.scopeNewText.textContent = `New ${since}`;
    this.scopeNew.parentElement?.setAttribute('title', canAskNew ? `Only the objects allocated ${since}` : 'Needs two or more snapshots of one process');
  }

  /** Shows a one-line result (a watch started) under the headline. */
  note(text: string, kind: 'busy' | 'error' = 'busy'): void {
    this.showStatus(text, kind);
  }

  /** Waiting for the host's answer: the class is named at once. */
  loading(className: string, scope: PathsScope): void {
    this.heading.textContent = `Merged paths of ${className}`;
    this.showStatus(`Merging the shortest paths of ${scope === 'new' ? 'the new' : 'every'} ${className}…`, 'busy');
  }

  failed(message: string): void {
    this.showStatus(message, 'error');
  }

  show(paths: MergedPaths, report: GrowthReport | null, shown: Record<string, number>): void {
    this.paths = paths;
    this.showStatus('', 'busy');
    this.heading.textContent = `Merged paths of ${paths.class}`;
    this.headline.textContent = pathsHeadline(paths, report);
    this.sizes.textContent = paths.objects > 0 ? pathsSizes(paths) : paths.newSince ? `Choose "All instances" to see the paths of every ${paths.class}.` : '';
    const unreachable = unreachableText(paths);
    clear(this.unreachable);
    this.unreachable.hidden = unreachable === null;
    if (unreachable !== null) {
      const example = paths.unreachable.exampleIds[0];
      const open = h('button', { type: 'button', class: 'link', id: 'show-unreachable' }, 'Show one');
      open.addEventListener('click', () => this.events.showObject(example));
      this.unreachable.append(unreachable, ' ', example !== undefined ? open : '');
    }
    const model = pathRows(paths, shown);
    this.reachable = model.reachable;
    this.renderLegend(model.rows, paths.class);
    this.view.render(model, { retained: paths.retainedSize !== null });
    this.renderGroups(paths);
  }

  /** The largest groups as a list: each with its allocation site when split, and Watch Until Collected while recording. */
  private renderGroups(paths: MergedPaths): void {
    clear(this.groups);
    if (paths.groups.length === 0) return;
    const split = paths.groups.some((group) => group.allocationSite !== undefined);
    const items = paths.groups.slice(0, LISTED_GROUPS).map((group, index) => {
      const site = group.allocationSite === undefined ? '' : group.allocationSite === null ? ', no allocation stack' : `, allocated at ${group.allocationSite.label}`;
      const text = `${truncate(group.label, 120)} ×${formatCount(group.count)}${truncate(site, 120)}`;
      const item = h('li', { 'data-index': index }, h('span', { class: 'group-text' }, text));
      if (this.canWatch) {
        const watch = h('button', { type: 'button', class: 'link watch-group', title: `Keep the snapshot ids of these ${formatCount(group.count)} objects and check whether the process collects them (Watches view)` }, 'Watch until collected');
        watch.addEventListener('click', () => this.events.watchGroup(index, `${group.label} → ${paths.class} ×${formatCount(group.count)}`));
        item.append(' ', watch);
      }
      return item;
    });
    this.groups.append(h('h3', {}, split ? 'Groups by allocation site' : 'Groups'), h('ol', { class: 'group-list' }, ...items));
    if (paths.groups.length > LISTED_GROUPS) this.groups.append(h('p', { class: 'hint' }, `${formatCount(paths.groups.length - LISTED_GROUPS)} more groups in the tree above.`));
  }

  get current(): MergedPaths | null {
    return this.paths;
  }

  focus(): void {
    this.view.element.focus();
  }

  /** Only what the drawing uses, named as in the single-object graph. */
  private renderLegend(rows: readonly PathRow[], className: string): void {
    clear(this.legend);
    const roles = new Set(rows.flatMap((r) => (r.kind === 'branch' ? [r.role] : [])));
    const items = ROOT_ROLES.filter((role) => roles.has(role)).map((role) =>
      h('li', { 'data-role': role }, h('span', { class: `swatch role-${role}`, 'aria-hidden': 'true' }), roleInfo(role).name),
    );
    items.push(h('li', { 'data-role': 'target' }, h('span', { class: 'swatch role-target', 'aria-hidden': 'true' }), `Where the ${className} objects are`));
    if (rows.some((r) => r.kind === 'branch' && r.node.repeated)) items.push(h('li', {}, h('span', { class: 'swatch stacked', 'aria-hidden': 'true' }), 'Repeated step (a list, a tree)'));
    items.push(h('li', {}, h('span', { class: 'line widths', 'aria-hidden': 'true' }), 'Wider: more objects'));
    this.legend.append(...items);
  }

  private showStatus(text: string, kind: 'busy' | 'error'): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
    this.status.dataset.kind = kind;
  }
}
