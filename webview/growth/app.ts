/**
 * The Growth view: what grew between snapshots of one process (leak suspects
 * first, then the classes and the collections that grew), and the merged
 * paths of the class the user opens. Holds the state, calls the host
 * (GrowthViewApi) and handles its events (GrowthViewEvent).
 */
import type { ClassGrowth, CollectionGrowth, MergedPaths } from '../../src/protocol/growth';
import type { GrowthViewApi, GrowthViewEvent, PathsScope } from '../../src/protocol/growthView';
import type { MemorySeries } from '../../src/protocol/memoryChart';
import { clear, h } from '../dom';
import { MemoryChart } from '../live/memoryChart';
import { formatCount } from '../format';
import { mark, measure } from '../timing';
import type { Host } from '../vscodeApi';
import { classColumns, collectionColumns, PIN_COST } from './columns';
import { DataTable } from './dataTable';
import { showMore } from './pathRows';
import { PathsPanel } from './pathsPanel';
import { differentProcessesText, noSuspectsText, suspectClass, suspectSentence, twoSnapshotsHint } from './sentences';
import { SourceBar } from './sourceBar';
import { Splitter } from './splitter';
import { initialState, KEPT_GROUPS, type GrowthState } from './state';

/** Suspects shown before "Show all". */
const SUSPECTS_SHOWN = 5;

export type GrowthHost = Host<GrowthViewApi, GrowthViewEvent, GrowthState>;

export class GrowthApp {
  private state: GrowthState;
  /** Counts merged-paths requests: only the latest one's answer is drawn. */
  private pathsGeneration = 0;
  private classTable: DataTable<ClassGrowth> | null = null;
  private collectionTable: DataTable<CollectionGrowth> | null = null;

  private readonly heading: HTMLElement;
  private readonly sourceBar: SourceBar;
  private readonly status: HTMLElement;
  private readonly workspace: HTMLElement;
  private readonly report: HTMLElement;
  private readonly suspects: HTMLElement;
  private readonly classesCount: HTMLElement;
  private readonly classesHost: HTMLElement;
  private readonly collections: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly splitter: Splitter;
  private readonly panel: PathsPanel;
  private readonly memory: MemoryChart;

  constructor(
    root: HTMLElement,
    private readonly host: GrowthHost,
  ) {
    this.state = initialState(root.dataset.title ?? 'Growth');
    this.heading = h('div', { class: 'heading' });
    this.sourceBar = new SourceBar({
      takeNext: () => this.run('takeNext'),
      stop: () => this.run('stop'),
      save: () => this.run('save'),
    });
    this.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', hidden: true });
    this.suspects = h('section', { class: 'suspects', 'aria-label': 'Leak suspects' });
    this.filter = h('input', { type: 'search', id: 'filter', placeholder: 'Filter by name', 'aria-label': 'Filter classes and collections by name' });
    this.filter.addEventListener('input', () => {
      this.state.filter = this.filter.value;
      this.applyFilter();
      this.persist();
    });
    this.classesCount = h('span', { class: 'table-count' });
    this.classesHost = h('div', { class: 'table-host' });
    this.collections = h('section', { class: 'collections', 'aria-label': 'Collections that grew' });
    this.report = h(
      'div',
      { class: 'report' },
      this.suspects,
      h('section', { class: 'classes', 'aria-label': 'Classes' }, h('div', { class: 'section-head' }, h('h2', {}, 'Classes'), this.filter, this.classesCount), this.classesHost),
      this.collections,
    );
    this.panel = new PathsPanel({
      scopeChanged: (scope) => {
        if (this.state.open) this.openPaths(this.state.open.className, scope);
      },
      showObject: (id) => this.ask(this.host.rpc.call('showObject', id)),
      showMore: (row) => {
        this.state.shown = showMore(this.state.shown, row);
        if (this.state.paths) this.panel.show(this.state.paths, this.state.report, this.state.shown);
        this.persist();
      },
      close: () => {
        this.closePaths();
        this.persist();
      },
      splitChanged: (bySite) => {
        this.state.bySite = bySite;
        if (this.state.open) this.openPaths(this.state.open.className, this.state.open.scope);
        this.persist();
      },
      watchGroup: (index, label) => {
        const open = this.state.open;
        if (!open) return;
        this.panel.note(`Watching ${label}: checking…`);
        this.host.rpc.call('watchGroup', open.className, open.scope, index, label, { byAllocationSite: this.state.bySite === true }).then(
          ({ alive, collected }) => this.panel.note(`Watching ${label}: ${formatCount(alive)} still alive, ${formatCount(collected)} collected. The Watches view (Run and Debug) checks again when the debugger pauses, and on Check Now.`),
          (error: unknown) => this.panel.note(messageOf(error), 'error'),
        );
      },
    });
    this.memory = new MemoryChart(140);
    this.memory.element.hidden = true;
    this.workspace = h('div', { class: 'workspace' });
    this.splitter = new Splitter(this.workspace, (share) => {
      this.state.pathsShare = share;
      this.persist();
    });
    this.workspace.append(this.report, this.splitter.element, this.panel.element);
    root.append(this.heading, this.sourceBar.element, this.status, this.memory.element, this.workspace);
  }

  /** Restores a saved view first (a hidden view shows at once when shown again), then says hello to the host. */
  start(): void {
    const saved = this.host.loadState();
    if (saved) {
      this.state = saved;
      this.renderAll();
      if (saved.open && saved.paths) this.showPaths(saved.paths);
      else if (saved.open) this.panel.loading(saved.open.className, saved.open.scope);
    } else {
      this.renderAll();
    }
    this.host.listen((event) => this.onEvent(event));
    this.host.rpc.notify('ready');
  }

  private onEvent(event: GrowthViewEvent): void {
    switch (event.type) {
      case 'init': {
        // The host sends init again when the view comes back: keep how the user was looking at the same source.
        const same = this.state.source !== null && this.state.source.label === event.source.label && this.state.title === event.title;
        if (!same) this.state = { ...initialState(event.title), sort: this.state.sort, pathsShare: this.state.pathsShare };
        this.state.title = event.title;
        this.state.source = event.source;
        this.state.report = event.report;
        this.showMemory(event.memory ?? null);
        this.showStatus('', 'busy');
        this.renderAll();
        if (event.focus) this.openPaths(event.focus.className, event.focus.scope);
        else if (this.state.open && !this.state.paths) this.openPaths(this.state.open.className, this.state.open.scope);
        this.persist();
        break;
      }
      case 'report':
        this.state.source = event.source;
        this.state.report = event.report;
        this.showStatus('', 'busy');
        this.renderAll();
        // The last snapshot changed: its paths are asked for again (the old ones stay until the answer).
        if (this.state.open) this.openPaths(this.state.open.className, this.state.open.scope, { keepShown: true });
        this.persist();
        break;
      case 'source':
        this.state.source = event.source;
        this.sourceBar.update(event.source, this.state.report);
        // A recording that stopped is busy with nothing any more (its last snapshot cancelled, or read back).
        if (!event.source.recording && this.status.dataset.kind === 'busy') this.showStatus('', 'busy');
        this.persist();
        break;
      case 'busy':
        this.showStatus(event.message, 'busy');
        break;
      case 'memory':
        this.showMemory(event.series);
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

  private renderAll(): void {
    const { report, source, title } = this.state;
    this.heading.textContent = title;
    this.sourceBar.update(source, report);
    this.workspace.classList.toggle('paths-only', report === null);
    this.report.hidden = report === null;
    this.filter.value = this.state.filter;
    this.renderSuspects();
    this.renderTables();
    this.applyFilter();
    this.workspace.classList.toggle('has-paths', this.state.open !== null);
    this.splitter.set(this.state.pathsShare);
    this.updateScope();
    if (report) mark('rg:report-drawn');
  }

  private renderSuspects(): void {
    const report = this.state.report;
    clear(this.suspects);
    if (!report) return;
    this.suspects.append(h('h2', {}, 'Leak suspects'));
    if (!report.sameProcess) {
      this.suspects.append(h('p', { class: 'notice different-processes' }, differentProcessesText(report)));
      return;
    }
    if (report.suspects.length === 0) {
      this.suspects.append(h('p', { class: 'notice no-suspects' }, noSuspectsText(report, this.state.source)));
      return;
    }
    const shown = this.state.allSuspects ? report.suspects : report.suspects.slice(0, SUSPECTS_SHOWN);
    const list = h('ol', { class: 'suspect-list' });
    for (const suspect of shown) {
      const className = suspectClass(suspect);
      const sentence = suspectSentence(suspect);
      const button = h('button', { type: 'button', class: 'suspect', 'data-kind': suspect.kind, disabled: className === null, title: className ? `Merged paths of the new ${className}` : undefined }, sentence);
      if (className) button.addEventListener('click', () => this.openPaths(className));
      list.append(h('li', {}, button));
    }
    this.suspects.append(list);
    if (report.suspects.length > SUSPECTS_SHOWN) {
      const toggle = h('button', { type: 'button', class: 'link', id: 'all-suspects' }, this.state.allSuspects ? 'Show fewer' : `Show all ${formatCount(report.suspects.length)} suspects`);
      toggle.addEventListener('click', () => {
        this.state.allSuspects = !this.state.allSuspects;
        this.renderSuspects();
        this.persist();
      });
      this.suspects.append(toggle);
    }
    const hint = twoSnapshotsHint(report, this.state.source);
    if (hint) this.suspects.append(h('p', { class: 'hint' }, hint));
  }

  private renderTables(): void {
    const report = this.state.report;
    clear(this.classesHost);
    clear(this.collections);
    this.classTable = null;
    this.collectionTable = null;
    if (!report) return;
    const sortChanged = (sort: GrowthState['sort']) => {
      this.state.sort = sort;
      this.persist();
    };
    const pinned = new Set(this.state.pinned ?? []);
    const columns = classColumns(report, this.state.source?.recording ? { pinned, toggle: (name) => this.togglePin(name) } : undefined);
    const sort = columns.some((c) => c.id === this.state.sort.column) ? this.state.sort : initialState('').sort;
    this.classTable = new DataTable<ClassGrowth>({
      label: 'Classes that changed between the snapshots',
      plural: 'classes',
      columns,
      key: (c) => c.name,
      activate: (c) => this.openPaths(c.name),
      sort,
      sortChanged,
      pageSize: 200,
    });
    this.classTable.setRows(report.classes);
    this.classTable.select(this.state.open?.className ?? null);
    this.classesHost.append(report.classes.length > 0 ? this.classTable.element : h('p', { class: 'notice' }, 'No class changed between the snapshots.'));

    if (!report.sameProcess) return;
    this.collections.append(h('div', { class: 'section-head' }, h('h2', {}, 'Collections that grew')));
    if (report.collections.length === 0) {
      this.collections.append(h('p', { class: 'notice' }, 'No Map, Set, array or dictionary grew.'));
      return;
    }
    const collectionSort = { column: 'entriesDelta', descending: true };
    this.collectionTable = new DataTable<CollectionGrowth>({
      label: 'Collections whose entries grew',
      plural: 'collections',
      columns: collectionColumns(report),
      key: (c) => String(c.id),
      activate: (c) => {
        const held = c.holds[0]?.name;
        if (held) this.openPaths(held);
        else this.showStatus(`${c.label} holds no new objects to follow.`, 'info');
      },
      sort: collectionSort,
      sortChanged: () => undefined,
      pageSize: 50,
    });
    this.collectionTable.setRows(report.collections);
    this.collections.append(this.collectionTable.element);
    if (report.moreCollections > 0) this.collections.append(h('p', { class: 'hint' }, `${formatCount(report.moreCollections)} more collections grew (not listed).`));
  }

  private applyFilter(): void {
    const needle = this.state.filter.trim().toLowerCase();
    const matches = (text: string) => text.toLowerCase().includes(needle);
    this.classTable?.setFilter((c) => needle === '' || matches(c.name));
    this.collectionTable?.setFilter((c) => needle === '' || matches(c.label) || matches(c.type) || c.holds.some((held) => matches(held.name)));
    const counts = this.classTable?.counts;
    this.classesCount.textContent = !counts ? '' : needle === '' ? `${formatCount(counts.total)} classes changed` : `${formatCount(counts.matching)} of ${formatCount(counts.total)} classes`;
  }

  /** `new` needs a baseline of the same process: two or more snapshots whose ids match. */
  private canAskNew(): boolean {
    const report = this.state.report;
    return report !== null && report.sameProcess && report.snapshots.length >= 2;
  }

  private updateScope(): void {
    const open = this.state.open;
    this.panel.setScope(open?.scope ?? 'new', this.canAskNew(), 'since snapshot 1');
    const canSplit = this.state.report?.snapshots.at(-1)?.allocationStacks === true;
    this.panel.setOptions({ canSplit, split: this.state.bySite === true, canWatch: this.state.source?.recording === true });
  }

  private showMemory(series: MemorySeries | null): void {
    this.memory.element.hidden = series === null;
    this.memory.show(series);
  }

  /** Pins or unpins a class on the memory chart; the host counts it every few seconds while recording. */
  private togglePin(className: string): void {
    const pinned = new Set(this.state.pinned ?? []);
    const on = !pinned.has(className);
    if (on) pinned.add(className);
    else pinned.delete(className);
    this.state.pinned = [...pinned];
    this.renderTables();
    this.applyFilter();
    this.persist();
    this.host.rpc.call('pin', className, on).then(
      () => this.showStatus(on ? `Pinned ${className}: its live count is drawn on the chart. ${PIN_COST.replace(/^Pin: [^.]*\. /, '')}` : '', 'info'),
      (error: unknown) => {
        this.state.pinned = (this.state.pinned ?? []).filter((name) => name !== className);
        this.renderTables();
        this.applyFilter();
        this.showStatus(messageOf(error), 'error');
      },
    );
  }

  private openPaths(className: string, scope?: PathsScope, { keepShown = false } = {}): void {
    const asked = scope ?? (this.canAskNew() ? 'new' : 'all');
    const effective: PathsScope = asked === 'new' && !this.canAskNew() && this.state.report !== null ? 'all' : asked;
    const same = this.state.open?.className === className && this.state.open.scope === effective;
    if (!same && !keepShown) {
      this.state.shown = {};
      this.state.paths = null;
    }
    this.state.open = { className, scope: effective };
    this.classTable?.select(className);
    this.workspace.classList.add('has-paths');
    this.updateScope();
    this.panel.loading(className, effective);
    this.persist();
    const generation = ++this.pathsGeneration;
    mark('rg:paths-asked');
    // Split by allocation site only when asked: the plain call stays as it was.
    const splitAsked = this.state.bySite ? this.host.rpc.call('mergedPaths', className, effective, { byAllocationSite: true }) : this.host.rpc.call('mergedPaths', className, effective);
    splitAsked.then(
      (paths) => {
        if (generation !== this.pathsGeneration) return;
        this.state.paths = paths;
        this.showPaths(paths);
        this.persist();
      },
      (error: unknown) => {
        if (generation === this.pathsGeneration) this.panel.failed(messageOf(error));
      },
    );
  }

  private showPaths(paths: MergedPaths): void {
    mark('rg:paths-start');
    this.workspace.classList.add('has-paths');
    this.panel.show(paths, this.state.report, this.state.shown);
    mark('rg:paths-end');
    measure('rg:paths', 'rg:paths-start', 'rg:paths-end');
    // From the click to the drawn paths: the wait a user feels (when this page asked for them).
    if (performance.getEntriesByName('rg:paths-asked').length > 0) measure('rg:paths-answer', 'rg:paths-asked', 'rg:paths-end');
  }

  private closePaths(): void {
    this.pathsGeneration++;
    this.state.open = null;
    this.state.paths = null;
    this.state.shown = {};
    this.classTable?.select(null);
    this.workspace.classList.remove('has-paths');
  }

  /** The recording controls: the button waits for the host's answer; a failure is shown as the host worded it. */
  private run(call: 'takeNext' | 'stop' | 'save'): void {
    this.sourceBar.running(call, true);
    this.host.rpc.call(call).then(
      () => this.sourceBar.running(call, false),
      (error: unknown) => {
        this.sourceBar.running(call, false);
        this.showStatus(messageOf(error), 'error');
      },
    );
  }

  /** Calls whose only answer that matters is a failure. */
  private ask(call: Promise<void>): void {
    call.catch((error: unknown) => this.showStatus(messageOf(error), 'error'));
  }

  private showStatus(text: string, kind: 'busy' | 'error' | 'info'): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
    this.status.dataset.kind = kind;
    this.sourceBar.busy(kind === 'busy' && text !== '');
  }

  private persist(): void {
    const keepPaths = this.state.paths !== null && this.state.paths.groups.length <= KEPT_GROUPS;
    this.host.saveState({ ...this.state, paths: keepPaths ? this.state.paths : null });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
