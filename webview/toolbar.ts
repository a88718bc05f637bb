/** Depth and fan-out inputs, view toggles, search and export buttons. */
import type { WalkOptions } from '../src/protocol/walk';
import type { ExportFormat, ViewSettings } from '../src/protocol/webview';
import { h } from './dom';

export interface ToolbarEvents {
  /** Depth, fan-out, weak edges or V8 internals changed: needs a re-walk. */
  optionsChanged(change: Pick<WalkOptions, 'depth' | 'fanOut' | 'includeWeak' | 'includeInternals'>): void;
  /** Client-side toggles changed (debugger-only retainers). */
  settingsChanged(settings: ViewSettings): void;
  /** Search text submitted; `next` when the user pressed Enter again on the same text. */
  search(text: string, next: boolean): void;
  fit(): void;
  exportAs(format: ExportFormat): void;
  copyPath(): void;
}

/** What each toggle would change on the graph shown: drawn when on, would be added when off. */
export interface ToggleCounts {
  weak: number;
  internals: number;
  debugger: number;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly depth: HTMLInputElement;
  private readonly fanOut: HTMLInputElement;
  private readonly weak: HTMLInputElement;
  private readonly internals: HTMLInputElement;
  private readonly debuggerRetainers: HTMLInputElement;
  private readonly searchBox: HTMLInputElement;
  private readonly searchStatus: HTMLElement;
  private readonly weakCount = h('span', { class: 'count' });
  private readonly internalsCount = h('span', { class: 'count' });
  private readonly debuggerCount = h('span', { class: 'count' });
  private lastSearch = '';

  constructor(private readonly events: ToolbarEvents) {
    this.depth = h('input', { type: 'number', min: 1, max: 100, id: 'depth', title: 'Levels of retainers above the target (objgraph max_depth)' });
    this.fanOut = h('input', { type: 'number', min: 1, max: 10000, id: 'fan-out', title: 'Retainers shown per node (objgraph too_many)' });
    this.weak = h('input', { type: 'checkbox', id: 'include-weak' });
    this.internals = h('input', { type: 'checkbox', id: 'show-internals' });
    this.debuggerRetainers = h('input', { type: 'checkbox', id: 'show-debugger' });
    this.searchBox = h('input', { type: 'search', id: 'search', placeholder: 'Find name, label or @id', 'aria-label': 'Find a node by name, label or @id' });
    this.searchStatus = h('span', { class: 'search-status', 'aria-live': 'polite' });

    const walkChanged = () => {
      const depth = clampInt(this.depth.value, 1, 100);
      const fanOut = clampInt(this.fanOut.value, 1, 10000);
      if (depth === null || fanOut === null) return;
      this.events.optionsChanged({ depth, fanOut, includeWeak: this.weak.checked, includeInternals: this.internals.checked });
    };
    this.depth.addEventListener('change', walkChanged);
    this.fanOut.addEventListener('change', walkChanged);
    this.weak.addEventListener('change', walkChanged);
    this.internals.addEventListener('change', walkChanged);
    this.debuggerRetainers.addEventListener('change', () => this.events.settingsChanged({ hideDebugger: !this.debuggerRetainers.checked, showInternals: this.internals.checked }));
    this.searchBox.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      const text = this.searchBox.value.trim();
      this.events.search(text, text === this.lastSearch);
      this.lastSearch = text;
    });

    const button = (label: string, title: string, action: () => void, id: string) => {
      const b = h('button', { type: 'button', title, id }, label);
      b.addEventListener('click', action);
      return b;
    };
    this.element = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Retainer graph' },
      h('label', { class: 'field' }, 'Depth ', this.depth),
      h('label', { class: 'field' }, 'Fan-out ', this.fanOut),
      h('label', { class: 'toggle', id: 'toggle-weak' }, this.weak, ' Weak edges', this.weakCount),
      h('label', { class: 'toggle', id: 'toggle-internals' }, this.internals, ' V8 internals', this.internalsCount),
      h('label', { class: 'toggle', id: 'toggle-debugger' }, this.debuggerRetainers, ' Debugger retainers', this.debuggerCount),
      h('span', { class: 'search' }, this.searchBox, this.searchStatus),
      h(
        'span',
        { class: 'actions' },
        button('Fit', 'Frame the target and its nearest root at a readable size; scroll out to see more (0)', () => this.events.fit(), 'fit'),
        button('Copy path', 'Copy the shortest path to a root as text', () => this.events.copyPath(), 'copy-path'),
        button('DOT', 'Export as Graphviz DOT', () => this.events.exportAs('dot'), 'export-dot'),
        button('SVG', 'Export the drawing as SVG', () => this.events.exportAs('svg'), 'export-svg'),
        button('JSON', 'Export the walk as JSON', () => this.events.exportAs('json'), 'export-json'),
      ),
    );
  }

  /**
   * Shows the walk's options, and what each toggle changes on this graph: a
   * toggle that would add nothing is disabled and says why, so none flips
   * without a visible change.
   */
  update(options: WalkOptions, settings: ViewSettings, counts: ToggleCounts, what: 'retainers' | 'references'): void {
    this.depth.value = String(options.depth);
    this.fanOut.value = String(options.fanOut);
    this.weak.checked = options.includeWeak;
    this.internals.checked = options.includeInternals === true;
    this.debuggerRetainers.checked = !settings.hideDebugger;
    const one = what === 'retainers' ? 'retainer' : 'reference';
    showCount(this.weak, this.weakCount, counts.weak, `weak ${one}`, `weak ${one}s (a WeakRef, a WeakMap's slots)`);
    showCount(this.internals, this.internalsCount, counts.internals, 'V8 internal', 'V8 internals (hidden classes, backing stores, code)');
    showCount(this.debuggerRetainers, this.debuggerCount, counts.debugger, 'debugger-only retainer', 'retainers that exist only because a debugger is attached');
  }

  setSearchStatus(text: string): void {
    this.searchStatus.textContent = text;
  }

  focusSearch(): void {
    this.searchBox.focus();
    this.searchBox.select();
  }
}

/** `(3)` beside a toggle, with a tooltip saying what it adds or removes; disabled when it would add nothing. */
function showCount(box: HTMLInputElement, count: HTMLElement, n: number, singular: string, kinds: string): void {
  count.textContent = n > 0 ? ` (${n})` : '';
  const label = box.parentElement;
  box.disabled = !box.checked && n === 0;
  const title = box.checked ? `Hide the ${n} ${singular}${n === 1 ? '' : 's'} drawn` : n > 0 ? `Draw the ${n} ${singular}${n === 1 ? '' : 's'} this graph leaves out` : `This graph has no ${kinds} to show`;
  box.title = title;
  if (label) label.title = title;
}

function clampInt(text: string, min: number, max: number): number | null {
  const value = Number.parseInt(text, 10);
  if (!Number.isFinite(value)) return null;
  return Math.min(max, Math.max(min, value));
}
