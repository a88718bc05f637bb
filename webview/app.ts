/**
 * The retainer graph view: holds the state, calls the host (re-walks,
 * details, exports) and handles its events, and wires toolbar, graph, details
 * pane and keyboard together.
 */
import type { NodeDetails, Walk, WalkEdge, WalkOptions } from '../src/protocol/walk';
import type { ExportFormat, ViewSettings, WebviewApi, WebviewEvent } from '../src/protocol/webview';
import { h } from './dom';
import { DetailsPane } from './details';
import { serializeSvg } from './exportSvg';
import { formatId } from './format';
import { arrowDirection, neighbour } from './keyboard';
import { layoutGraph } from './layout';
import type { Layout } from './layoutTypes';
import { renderLegend } from './legend';
import { buildViewGraph, type MoreViewNode, type ViewGraph } from './model';
import { isMoreKey, nodeKey } from './nodeKeys';
import { shortestPathText } from './pathText';
import { GraphView, type SavedTransform } from './render';
import { DEFAULT_SETTINGS, type PersistedState } from './state';
import { TextMeasurer } from './textMeasure';
import { mark, measure } from './timing';
import { Toolbar } from './toolbar';
import type { Host } from './vscodeApi';

/** "+N more" on a walk-cut node raises that node's fan-out by this much. */
const MORE_STEP = 10;

export class App {
  private walk: Walk | null = null;
  private title = '';
  private settings: ViewSettings = DEFAULT_SETTINGS;
  private expanded = new Set<number>();
  private selection: string | null = null;
  private transform: SavedTransform | null = null;
  private details: NodeDetails | null = null;
  private graph: ViewGraph | null = null;
  private layout: Layout | null = null;
  private searchHits: string[] = [];
  private searchIndex = 0;
  /** Counts re-walks asked for and walks the host pushed; a re-walk's reply is drawn only if nothing newer came since. */
  private walkGeneration = 0;

  private readonly toolbar: Toolbar;
  private readonly view: GraphView;
  private readonly pane: DetailsPane;
  private readonly status: HTMLElement;
  /** Tells screen readers which node the arrow keys reached. */
  private readonly announcer: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly graphHost: HTMLElement;
  private readonly measure = new TextMeasurer();

  constructor(
    root: HTMLElement,
    private readonly host: Host<WebviewApi, WebviewEvent, PersistedState>,
  ) {
    this.toolbar = new Toolbar({
      optionsChanged: (change) => {
        if (this.walk) this.rewalk({ ...this.walk.options, ...change });
      },
      settingsChanged: (settings) => {
        this.settings = settings;
        this.ask(this.host.rpc.call('saveSettings', settings));
        this.redraw();
      },
      search: (text, next) => this.search(text, next),
      fit: () => this.view.fit(true),
      exportAs: (format) => this.exportAs(format),
      copyPath: () => {
        if (this.walk) this.ask(this.host.rpc.call('copyText', shortestPathText(this.walk)));
      },
    });
    this.heading = h('div', { class: 'heading' });
    this.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', hidden: true });
    this.announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.graphHost = h('div', { class: 'graph-host', tabindex: 0, 'aria-label': 'Retainer graph. Arrow keys move between nodes, Enter opens details, plus and minus zoom, 0 fits.' });
    this.pane = new DetailsPane({
      // Ignored edges and raised fan-outs name snapshot objects, so they stay meaningful from the new target.
      walkFrom: (id) => {
        if (this.walk) this.rewalk(this.walk.options, id);
      },
      ignore: (edges) => this.ignore(edges),
      revealSource: (id) => this.ask(this.host.rpc.call('revealSource', id)),
      pick: (id) => {
        if (this.view.placed(nodeKey(id))) this.selectKey(nodeKey(id), { center: true, openDetails: true });
        else this.showStatus(`${formatId(id)} is not drawn in this walk; raise the fan-out (or click "+N more") to see it.`, 'info');
      },
      expandMore: (more, all) => this.expandMore(more, all),
      close: () => {
        this.pane.hide();
        this.persist();
        this.graphHost.focus();
      },
    });
    this.view = new GraphView(this.graphHost, {
      activate: (key, event) => {
        if (isMoreKey(key)) {
          const more = this.graph?.nodes.find((n) => n.key === key);
          if (more?.kind === 'more') this.expandMore(more, event.shiftKey);
          return;
        }
        this.selectKey(key, { center: false, openDetails: true });
        this.graphHost.focus();
      },
      transformed: (t) => {
        this.transform = t;
        this.persist();
      },
    });
    this.graphHost.addEventListener('keydown', (event) => this.onKey(event));
    root.append(this.heading, this.toolbar.element, renderLegend(), this.status, this.announcer, h('div', { class: 'main' }, this.graphHost, this.pane.element));
  }

  /** Restores a saved view first (so a reload shows the graph at once), then says hello to the host. */
  start(): void {
    const saved = this.host.loadState();
    if (saved) {
      this.title = saved.title;
      this.settings = saved.settings;
      this.expanded = new Set(saved.expanded);
      this.selection = saved.selection;
      this.transform = saved.transform;
      this.showWalk(saved.walk, { keepView: true });
      if (saved.detailsOpen && this.selection) this.openDetails(this.selection);
    }
    this.host.listen((event) => this.onEvent(event));
    this.host.rpc.notify('ready');
  }

  private onEvent(event: WebviewEvent): void {
    switch (event.type) {
      case 'init': {
        // After a reload, or with retained sizes filled in, the host re-sends the
        // same walk: keep the user's view of it (and any re-walk still on its way).
        const same = this.walk !== null && this.walk.target === event.walk.target;
        this.title = event.title;
        if (!same) this.settings = event.settings;
        this.showWalk(event.walk, { keepView: same });
        break;
      }
      case 'walk':
        this.walkGeneration++;
        this.showNewWalk(event.walk);
        break;
      case 'busy':
        this.showStatus(event.message, 'busy');
        break;
      case 'error':
        this.showStatus(event.message, 'error');
        break;
      default: {
        const unexpected: never = event;
        void unexpected;
      }
    }
  }

  /** A re-walk changes the picture's shape: keep the selection, refit the zoom. */
  private showNewWalk(walk: Walk): void {
    const same = this.walk !== null && this.walk.target === walk.target;
    this.transform = null;
    this.showWalk(walk, { keepView: same });
    if (this.selection) this.view.reveal(this.selection);
  }

  private showWalk(walk: Walk, { keepView }: { keepView: boolean }): void {
    mark('rg:walk-start');
    this.walk = walk;
    this.showStatus('', 'busy');
    if (!keepView) {
      this.expanded.clear();
      this.selection = null;
      this.transform = null;
      this.details = null;
      this.pane.hide();
    }
    this.toolbar.update(walk.options, this.settings);
    const target = walk.nodes.find((n) => n.id === walk.target);
    this.heading.textContent = this.title || `Retainers of ${target ? `${target.name} ` : ''}${formatId(walk.target)}`;
    this.redraw();
    if (this.transform) this.view.restoreTransform(this.transform);
    else this.view.overview(walk.shortestPath.nodes.map(nodeKey));
    if (this.selection && !this.layout?.nodes.some((n) => n.view.key === this.selection)) this.selection = null;
    if (this.pane.open && this.selection) this.openDetails(this.selection);
    else if (this.pane.open) this.pane.hide();
    mark('rg:persist-start');
    this.persist();
    mark('rg:walk-end');
    measure('rg:persist', 'rg:persist-start', 'rg:walk-end');
    measure('rg:walk', 'rg:walk-start', 'rg:walk-end');
  }

  /** Rebuilds view graph, layout and drawing from the current walk and settings. */
  private redraw(): void {
    if (!this.walk) return;
    mark('rg:layout-start');
    this.graph = buildViewGraph(this.walk, this.settings, this.expanded);
    this.layout = layoutGraph(this.graph, this.measure);
    mark('rg:render-start');
    this.view.render(this.layout);
    this.view.select(this.selection);
    mark('rg:render-end');
    measure('rg:layout', 'rg:layout-start', 'rg:render-start');
    measure('rg:render', 'rg:render-start', 'rg:render-end');
    this.graphHost.dataset.nodes = String(this.graph.nodes.length);
    const target = this.walk.nodes.find((n) => n.id === this.walk?.target);
    if (target && target.distance === null && this.walk.shortestPath.nodes.length === 0) {
      this.showStatus(`${formatId(target.id)} is not reachable from any GC root: nothing keeps it alive, and the next garbage collection frees it.`, 'info');
    }
    if (this.graph.collapsedCount > 0) this.showStatus(`Large graph: ${this.graph.collapsedCount} objects are collapsed behind "+N more" nodes to keep the view responsive.`, 'info');
    this.persist();
  }

  private rewalk(options: WalkOptions, target = this.walk?.target): void {
    if (target === undefined) return;
    const generation = ++this.walkGeneration;
    this.showStatus('Walking the retainers…', 'busy');
    this.host.rpc.call('walk', target, options).then(
      (walk) => {
        if (generation === this.walkGeneration) this.showNewWalk(walk);
      },
      (error: unknown) => {
        if (generation === this.walkGeneration) this.showError(error);
      },
    );
  }

  private requestDetails(id: number): void {
    this.host.rpc.call('details', id).then((details) => {
      this.details = details;
      if (this.pane.open && this.selection === nodeKey(details.node.id)) this.openDetails(this.selection);
    }, (error: unknown) => this.showError(error));
  }

  /** Calls whose only answer that matters is a failure, shown as the host worded it. */
  private ask(call: Promise<void>): void {
    call.catch((error: unknown) => this.showError(error));
  }

  private showError(error: unknown): void {
    this.showStatus(error instanceof Error ? error.message : String(error), 'error');
  }

  private ignore(edges: WalkEdge[]): void {
    if (!this.walk || edges.length === 0) return;
    const ignoredEdges = [...(this.walk.options.ignoredEdges ?? [])];
    for (const edge of edges) ignoredEdges.push({ from: edge.from, to: edge.to, name: edge.name });
    this.rewalk({ ...this.walk.options, ignoredEdges });
  }

  private expandMore(more: MoreViewNode, all: boolean): void {
    if (!this.walk) return;
    if (more.hiddenByView > 0) {
      this.expanded.add(more.forId);
      this.redraw();
      if (more.hiddenByWalk === 0) return;
    }
    const node = this.walk.nodes.find((n) => n.id === more.forId);
    const current = this.walk.options.fanOutOverrides?.[more.forId] ?? this.walk.options.fanOut;
    const raised = all && node ? Math.max(node.retainerCount, current + more.hiddenByWalk) : current + MORE_STEP;
    this.rewalk({ ...this.walk.options, fanOutOverrides: { ...this.walk.options.fanOutOverrides, [more.forId]: raised } });
  }

  private selectKey(key: string | null, { center, openDetails }: { center: boolean; openDetails: boolean }): void {
    if (key !== null && !this.view.placed(key)) return;
    this.selection = key;
    this.view.select(key);
    const placed = key === null ? undefined : this.view.placed(key);
    if (placed) this.announcer.textContent = [placed.text.badge.toLowerCase(), placed.text.title, placed.text.subtitle, placed.text.stats].filter(Boolean).join(', ');
    if (key !== null) {
      if (center) this.view.center(key);
      else this.view.reveal(key);
      if (openDetails || this.pane.open) this.openDetails(key);
    }
    this.persist();
  }

  private openDetails(key: string): void {
    const view = this.graph?.nodes.find((n) => n.key === key);
    if (!view) return;
    if (view.kind === 'more') {
      this.pane.showMore(view);
      return;
    }
    const outgoing = this.layout?.edges.filter((e) => e.view.from === key).flatMap((e) => e.view.edges.slice(0, 1)) ?? [];
    const known = this.details && this.details.node.id === view.node.id ? this.details : null;
    this.pane.showNode(view.node, outgoing, known);
    if (!known) this.requestDetails(view.node.id);
  }

  private search(text: string, next: boolean): void {
    if (!this.graph || text === '') {
      this.toolbar.setSearchStatus('');
      return;
    }
    if (!next || this.searchHits.length === 0) {
      const needle = text.toLowerCase();
      const id = /^@?(\d+)$/.exec(text)?.[1];
      this.searchHits = this.graph.nodes
        .filter((v) => v.kind === 'object' && (String(v.node.id) === id || v.node.name.toLowerCase().includes(needle) || v.node.label.toLowerCase().includes(needle)))
        .map((v) => v.key);
      this.searchIndex = 0;
    } else {
      this.searchIndex = (this.searchIndex + 1) % this.searchHits.length;
    }
    if (this.searchHits.length === 0) {
      this.toolbar.setSearchStatus('no match');
      return;
    }
    this.toolbar.setSearchStatus(`${this.searchIndex + 1} of ${this.searchHits.length}`);
    this.selectKey(this.searchHits[this.searchIndex], { center: true, openDetails: false });
  }

  private onKey(event: KeyboardEvent): void {
    if (event.target !== this.graphHost || !this.layout) return;
    const direction = arrowDirection(event.key);
    if (direction) {
      event.preventDefault();
      const to = this.selection ? neighbour(this.layout, this.selection, direction) : this.walk && nodeKey(this.walk.target);
      if (to) this.selectKey(to, { center: false, openDetails: false });
      return;
    }
    switch (event.key) {
      case 'Enter':
        if (!this.selection) return;
        event.preventDefault();
        if (isMoreKey(this.selection)) {
          const more = this.graph?.nodes.find((n) => n.key === this.selection);
          if (more?.kind === 'more') this.expandMore(more, event.shiftKey);
        } else this.openDetails(this.selection);
        break;
      case '+':
      case '=':
        event.preventDefault();
        this.view.zoomBy(1.25);
        break;
      case '-':
      case '_':
        event.preventDefault();
        this.view.zoomBy(0.8);
        break;
      case '0':
        event.preventDefault();
        this.view.fit(true);
        break;
      case 'Escape':
        this.pane.hide();
        this.persist();
        break;
      case '/':
        event.preventDefault();
        this.toolbar.focusSearch();
        break;
    }
  }

  private exportAs(format: ExportFormat): void {
    if (format === 'svg') {
      if (!this.layout) return;
      this.ask(this.host.rpc.call('exportWalk', format, serializeSvg(this.view.svg, this.layout)));
    } else {
      this.ask(this.host.rpc.call('exportWalk', format));
    }
  }

  private showStatus(text: string, kind: 'busy' | 'error' | 'info'): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
    this.status.dataset.kind = kind;
  }

  private persist(): void {
    if (!this.walk) return;
    const state: PersistedState = {
      walk: this.walk,
      title: this.title,
      settings: this.settings,
      selection: this.selection,
      detailsOpen: this.pane.open,
      transform: this.transform,
      expanded: [...this.expanded],
    };
    this.host.saveState(state);
  }
}

