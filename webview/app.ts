/**
 * The retainer graph view: holds the state, calls the host (re-walks,
 * details, exports) and handles its events, and wires heading, history,
 * toolbar, graph, details pane and keyboard together.
 */
import type { NodeDetails, Walk, WalkDirection, WalkEdge, WalkNode, WalkOptions } from '../src/protocol/walk';
import type { ExportFormat, ViewSettings, WebviewApi, WebviewEvent } from '../src/protocol/webview';
import { clear, h } from './dom';
import { DetailsPane } from './details';
import { serializeSvg } from './exportSvg';
import { formatBytes, formatId, truncate } from './format';
import { WalkHistory, type HistoryEntry, type WalkQuestion } from './history';
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
import { Toolbar, type ToggleCounts } from './toolbar';
import type { Host } from './vscodeApi';

/** "+N more" on a walk-cut node raises that node's fan-out by this much. */
const MORE_STEP = 10;

export class App {
  private walk: Walk | null = null;
  private title = '';
  private readonly history = new WalkHistory();
  /** Workspace folders, for `lib/processor.js:11`. */
  private folders: string[] = [];
  /** Of a live process whose ids are valid (from `init`; a restored view is not). */
  private live = false;
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
  private readonly headingText: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly backButton: HTMLButtonElement;
  private readonly forwardButton: HTMLButtonElement;
  private readonly ignoredList: HTMLElement;
  private readonly graphHost: HTMLElement;
  private readonly measure = new TextMeasurer();

  constructor(
    root: HTMLElement,
    private readonly host: Host<WebviewApi, WebviewEvent, PersistedState>,
  ) {
    this.toolbar = new Toolbar({
      optionsChanged: (change) => {
        this.settings = { ...this.settings, showInternals: change.includeInternals === true };
        if (this.walk) this.rewalk({ ...this.walk.options, ...change });
      },
      settingsChanged: (settings) => {
        this.settings = settings;
        this.ask(this.host.rpc.call('saveSettings', settings));
        // The picture changes shape as after a re-walk: frame it again.
        this.redraw();
        this.frame(false);
        if (this.selection) this.view.reveal(this.selection);
      },
      search: (text, next) => this.search(text, next),
      fit: () => this.frame(true),
      exportAs: (format) => this.exportAs(format),
      copyPath: () => {
        if (this.walk) this.ask(this.host.rpc.call('copyText', shortestPathText(this.walk)));
      },
    });
    this.backButton = h('button', { type: 'button', id: 'back', class: 'nav', title: 'Back (Alt+Left)', 'aria-label': 'Back' }, '‹');
    this.forwardButton = h('button', { type: 'button', id: 'forward', class: 'nav', title: 'Forward (Alt+Right)', 'aria-label': 'Forward' }, '›');
    this.backButton.addEventListener('click', () => this.go(-1));
    this.forwardButton.addEventListener('click', () => this.go(1));
    this.headingText = h('h1', { class: 'heading-text' });
    this.summary = h('div', { class: 'summary', id: 'summary' });
    this.heading = h('div', { class: 'heading' }, h('div', { class: 'heading-row' }, this.backButton, this.forwardButton, this.headingText), this.summary);
    this.ignoredList = h('div', { class: 'ignored', id: 'ignored', hidden: true });
    this.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', hidden: true });
    this.announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.graphHost = h('div', { class: 'graph-host', tabindex: 0, 'aria-label': 'Retainer graph. Arrow keys move between nodes, Enter opens details, plus and minus zoom, 0 fits.' });
    this.pane = new DetailsPane({
      // Ignored edges and raised fan-outs name snapshot objects, so they stay meaningful from the new target.
      walkFrom: (id) => this.navigate(id, 'retainers'),
      showHolds: (id) => this.navigate(id, 'references'),
      ignore: (edges) => this.ignore(edges),
      revealSource: (id) => this.ask(this.host.rpc.call('revealSource', id)),
      revealFrame: (frame) => this.ask(this.host.rpc.call('revealFrame', frame)),
      watch: (id, label) => {
        this.showStatus(`Watching ${label}: checking…`, 'info');
        this.host.rpc.call('watchObject', id, label).then(
          (state) => this.showStatus(state === 'alive' ? `Watching ${label}: still alive when the watch began. The Watches view (Run and Debug) follows it: it checks again when the debugger pauses, and on Check Now.` : `${label} was already collected.`, 'info'),
          (error: unknown) => this.showStatus(error instanceof Error ? error.message : String(error), 'error'),
        );
      },
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
      resized: () => {
        if (!this.transform) this.frame(false);
      },
    });
    this.graphHost.addEventListener('keydown', (event) => this.onKey(event));
    // Alt+Left / Alt+Right: back and forward, as in an editor, wherever the focus is but a text field.
    document.addEventListener('keydown', (event) => {
      if (!event.altKey || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
      if (event.target instanceof HTMLInputElement && event.target.type !== 'checkbox') return;
      event.preventDefault();
      this.go(event.key === 'ArrowLeft' ? -1 : 1);
    });
    root.append(this.heading, this.toolbar.element, this.ignoredList, renderLegend(), this.status, this.announcer, h('div', { class: 'main' }, this.graphHost, this.pane.element));
  }

  /** Restores a saved view first (so a reload shows the graph at once), then says hello to the host. */
  start(): void {
    const saved = this.host.loadState();
    if (saved) {
      this.title = saved.title;
      this.settings = saved.settings;
      this.folders = saved.folders ?? [];
      this.expanded = new Set(saved.expanded);
      this.selection = saved.selection;
      this.transform = saved.transform;
      this.history.restore(saved.history, saved.walk, saved.title);
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
        // walk shown: keep the user's view of it (and any re-walk still on its way).
        const same = this.walk !== null && this.walk.target === event.walk.target && sameDirection(this.walk, event.walk);
        this.title = event.title;
        this.folders = event.folders ?? this.folders;
        this.live = event.live === true;
        if (same) {
          this.history.replace(event.walk, event.title);
        } else {
          this.settings = event.settings;
          this.history.push(event.walk, event.title);
        }
        this.showWalk(event.walk, { keepView: same });
        break;
      }
      case 'walk':
        // Another question in this panel: a place of its own in the history.
        this.walkGeneration++;
        this.title = event.title;
        this.history.push(event.walk, event.title);
        this.transform = null;
        this.showWalk(event.walk, { keepView: false });
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
    const same = this.walk !== null && this.walk.target === walk.target && sameDirection(this.walk, walk);
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
    const target = walk.nodes.find((n) => n.id === walk.target);
    this.headingText.textContent = this.title || titleFor(walk, walk.direction ?? 'retainers');
    this.summary.textContent = summaryText(walk, target);
    this.showHistory();
    this.showIgnored(walk);
    this.redraw();
    if (this.transform) this.view.restoreTransform(this.transform);
    else this.frame(false);
    if (this.selection && !this.layout?.nodes.some((n) => n.view.key === this.selection)) this.selection = null;
    if (this.pane.open && this.selection) this.openDetails(this.selection);
    else if (this.pane.open) this.pane.hide();
    mark('rg:persist-start');
    this.persist();
    this.announceShown();
    mark('rg:walk-end');
    measure('rg:persist', 'rg:persist-start', 'rg:walk-end');
    measure('rg:walk', 'rg:walk-start', 'rg:walk-end');
  }

  /** Rebuilds view graph, layout and drawing from the current walk and settings. */
  private redraw(): void {
    if (!this.walk) return;
    mark('rg:layout-start');
    const settings = { ...this.settings, showInternals: this.settings.showInternals || this.walk.options.includeInternals === true };
    this.graph = buildViewGraph(this.walk, settings, this.expanded);
    this.layout = layoutGraph(this.graph, this.measure);
    this.toolbar.update(this.walk.options, this.settings, toggleCounts(this.walk, this.graph), this.graph.direction);
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

  /** The same question with new options (depth, fan-out, toggles, ignored retainers, "+N more"). */
  private rewalk(options: WalkOptions): void {
    if (!this.walk) return;
    const question = { target: this.walk.target, direction: this.walk.direction ?? 'retainers', options };
    this.askWalk(question, (walk) => {
      this.history.replace(walk);
      this.showNewWalk(walk);
    });
  }

  /** "Walk from here" and "Show what it holds": a new place in the history. */
  private navigate(target: number, direction: WalkDirection): void {
    if (!this.walk) return;
    const node = this.walk.nodes.find((n) => n.id === target);
    // Ignored edges and raised fan-outs name snapshot objects, so they stay meaningful from the new target.
    const question = { target, direction, options: this.walk.options };
    this.askWalk(question, (walk) => {
      const title = titleFor(walk, direction, node);
      this.title = title;
      this.history.push(walk, title);
      this.transform = null;
      this.showWalk(walk, { keepView: false });
    });
  }

  /** Back (-1) or forward (+1): the walk kept, or asked again when only its question survived a reload. */
  private go(step: -1 | 1): void {
    const entry = this.history.go(step);
    if (!entry) return;
    this.walkGeneration++;
    const show = (walk: Walk, shown: HistoryEntry): void => {
      this.title = shown.title;
      this.transform = null;
      this.showWalk(walk, { keepView: false });
    };
    if (entry.walk) show(entry.walk, entry);
    else
      this.askWalk(entry.question, (walk) => {
        this.history.replace(walk, entry.title);
        show(walk, entry);
      });
  }

  /** Asks the host for the walk a question names; only the newest question's answer is drawn. */
  private askWalk(question: WalkQuestion, then: (walk: Walk) => void): void {
    const generation = ++this.walkGeneration;
    this.showStatus(question.direction === 'references' ? 'Walking what it holds…' : 'Walking the retainers…', 'busy');
    const call = question.direction === 'references' ? this.host.rpc.call('references', question.target, question.options) : this.host.rpc.call('walk', question.target, question.options);
    call.then(
      (walk) => {
        if (generation === this.walkGeneration) then(walk);
      },
      (error: unknown) => {
        if (generation === this.walkGeneration) this.showError(error);
      },
    );
  }

  private frame(animate: boolean): void {
    if (!this.graph || !this.walk) return;
    this.view.frame(this.graph.focus, nodeKey(this.walk.target), this.graph.direction === 'references', animate);
  }

  private showHistory(): void {
    this.backButton.disabled = !this.history.canGoBack;
    this.forwardButton.disabled = !this.history.canGoForward;
    this.backButton.title = this.history.previous ? `Back to ${this.history.previous.title} (Alt+Left)` : 'Back (Alt+Left)';
    this.forwardButton.title = this.history.next ? `Forward to ${this.history.next.title} (Alt+Right)` : 'Forward (Alt+Right)';
  }

  /** Every ignored retainer, listed with an undo. */
  private showIgnored(walk: Walk): void {
    const ignored = walk.options.ignoredEdges ?? [];
    clear(this.ignoredList);
    this.ignoredList.hidden = ignored.length === 0;
    if (ignored.length === 0) return;
    this.ignoredList.append(h('span', { class: 'ignored-title' }, 'Ignored retainers:'));
    ignored.forEach((edge, i) => {
      const undo = h('button', { type: 'button', class: 'undo-ignore', title: 'Walk again with this retainer' }, 'Undo');
      undo.addEventListener('click', () => {
        if (!this.walk) return;
        const rest = ignored.filter((_, j) => j !== i);
        this.rewalk({ ...this.walk.options, ignoredEdges: rest.length > 0 ? rest : undefined });
      });
      this.ignoredList.append(h('span', { class: 'ignored-edge' }, h('span', { class: 'edge-name' }, truncate(edge.label ?? `${edge.name} of ${formatId(edge.from)}`, 80)), undo));
    });
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
    const walk = this.walk;
    const ignoredEdges = [...(walk.options.ignoredEdges ?? [])];
    const name = (id: number): string => {
      const node = walk.nodes.find((n) => n.id === id);
      return node ? `${node.label || node.name} ${formatId(id)}` : formatId(id);
    };
    for (const edge of edges) ignoredEdges.push({ from: edge.from, to: edge.to, name: edge.name, label: `${edge.label || edge.name} in ${name(edge.from)} → ${name(edge.to)}` });
    this.rewalk({ ...walk.options, ignoredEdges });
  }

  private expandMore(more: MoreViewNode, all: boolean): void {
    if (!this.walk) return;
    if (more.hiddenByView > 0) {
      this.expanded.add(more.forId);
      this.redraw();
      if (more.hiddenByWalk === 0) return;
    }
    const current = this.walk.options.fanOutOverrides?.[more.forId] ?? this.walk.options.fanOut;
    const raised = all ? current + more.hiddenByWalk : current + MORE_STEP;
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
    const edges = this.layout?.edges ?? [];
    const outgoing = edges.filter((e) => e.view.from === key).flatMap((e) => e.view.edges.slice(0, 1));
    const drawnRetainers = new Set(edges.filter((e) => e.view.to === key && !isMoreKey(e.view.from)).map((e) => e.view.from)).size;
    const id = view.node.id;
    const filtered = this.walk?.filtered?.find((f) => f.id === id);
    const context = {
      direction: this.graph?.direction ?? 'retainers',
      outgoing,
      drawnRetainers,
      cut: this.walk?.truncated.find((t) => t.id === id)?.hidden ?? 0,
      weak: filtered?.weak ?? 0,
      internal: filtered?.internal ?? 0,
      folders: this.folders,
      live: this.live,
    };
    const known = this.details && this.details.node.id === id ? this.details : null;
    this.pane.showNode(view.node, context, known);
    if (!known) this.requestDetails(id);
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
        this.frame(true);
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
      history: this.history.save(),
      folders: this.folders,
    };
    this.host.saveState(state);
  }

  /** Tells the host what is shown, so exports, "Reveal source" and the tab title follow. */
  private announceShown(): void {
    if (this.walk) this.host.rpc.notify('showing', this.walk, this.headingText.textContent ?? this.title);
  }
}

function sameDirection(a: Walk, b: Walk): boolean {
  return (a.direction ?? 'retainers') === (b.direction ?? 'retainers');
}

/** `Processor @123` for a walk from here, `What Processor.instanceMap @123 holds` for what it holds. */
function titleFor(walk: Walk, direction: WalkDirection, known?: WalkNode): string {
  const node = known ?? walk.nodes.find((n) => n.id === walk.target);
  const name = truncate(node ? node.label || node.name : 'Object', 60);
  return direction === 'references' ? `What ${name} ${formatId(walk.target)} holds` : `${name} ${formatId(walk.target)}`;
}

/**
 * `30 ResourceLoader instances, 44.2 MB retained in all · this one retains
 * 1.5 MB`: whether a fix worked reads here (one instance left, the size back).
 */
function summaryText(walk: Walk, target: WalkNode | undefined): string {
  const parts: string[] = [];
  const summary = walk.targetClass;
  if (summary) {
    const all = summary.retainedSize !== undefined ? `, ${formatBytes(summary.retainedSize)} retained in all` : '';
    parts.push(`${summary.count.toLocaleString('en-US')} ${summary.name} instance${summary.count === 1 ? '' : 's'} in this snapshot${all}`);
  }
  if (target) parts.push(target.retainedSize === null ? `this one: self size ${formatBytes(target.selfSize)}, retained size being computed…` : `this one retains ${formatBytes(target.retainedSize)}`);
  return parts.join(' · ');
}

/** What each toolbar toggle would change on this graph. */
function toggleCounts(walk: Walk, graph: ViewGraph): ToggleCounts {
  const sum = (key: 'weak' | 'internal'): number => (walk.filtered ?? []).reduce((total, f) => total + f[key], 0);
  const drawnWeak = walk.edges.filter((e) => e.type === 'weak').length;
  const drawnInternals = walk.nodes.filter((n) => n.internal && n.id !== walk.target).length;
  const debuggerNodes = walk.nodes.filter((n) => n.rootKind === 'debugger' && n.id !== walk.target).length;
  return {
    weak: walk.options.includeWeak ? drawnWeak : sum('weak'),
    internals: walk.options.includeInternals ? drawnInternals : sum('internal') + graph.splicedCount,
    debugger: debuggerNodes,
  };
}

