/**
 * A sortable, filterable table that the keyboard can drive (the grid pattern
 * of WAI-ARIA, by rows): headers are buttons that sort (again: reverse),
 * arrows move between rows, Enter opens one. Big lists draw a page of rows
 * and a "Show more" row. Cells are built with dom.ts (text only).
 */
import { clear, h } from '../dom';
import { formatCount } from '../format';

export interface Column<R> {
  id: string;
  header: string;
  /** What the column means, on hover. */
  hint?: string;
  numeric?: boolean;
  sortValue(row: R): number | string;
  cell(row: R): Node | string;
  /** Hover text of a cell (the full series, the untruncated name). */
  cellHint?(row: R): string;
}

export interface Sort {
  column: string;
  descending: boolean;
}

export interface DataTableOptions<R> {
  /** The table's accessible name. */
  label: string;
  /** `classes`, `collections`: for "Show 200 more classes". */
  plural: string;
  columns: Column<R>[];
  key(row: R): string;
  /** Enter or a click on a row. */
  activate(row: R): void;
  sort: Sort;
  sortChanged(sort: Sort): void;
  pageSize?: number;
}

const PAGE = 200;

export class DataTable<R> {
  readonly element: HTMLTableElement;
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private all: R[] = [];
  private matching: R[] = [];
  private filter: (row: R) => boolean = () => true;
  private limit: number;
  private sort: Sort;
  private selectedKey: string | null = null;
  /** The row Tab lands on (roving tabindex). */
  private activeKey: string | null = null;
  private readonly rowsByKey = new Map<string, HTMLTableRowElement>();

  constructor(private readonly options: DataTableOptions<R>) {
    this.sort = options.sort;
    this.limit = options.pageSize ?? PAGE;
    this.head = h('thead');
    this.body = h('tbody');
    this.element = h('table', { class: 'data-table', 'aria-label': options.label }, this.head, this.body);
    this.body.addEventListener('keydown', (event) => this.onKey(event));
    this.body.addEventListener('click', (event) => {
      const tr = (event.target as Element).closest('tr[data-key]');
      const row = tr && this.rowOf(tr.getAttribute('data-key'));
      if (!row) return;
      this.activeKey = this.options.key(row);
      this.markActive();
      (tr as HTMLElement).focus();
      this.options.activate(row);
    });
    this.renderHead();
  }

  setRows(rows: R[]): void {
    this.all = rows;
    this.update();
  }

  setFilter(filter: (row: R) => boolean): void {
    this.filter = filter;
    this.limit = this.options.pageSize ?? PAGE;
    this.update();
  }

  /** Marks the row whose details are open (aria-selected). */
  select(key: string | null): void {
    this.selectedKey = key;
    for (const [rowKey, tr] of this.rowsByKey) tr.setAttribute('aria-selected', String(rowKey === key));
  }

  get counts(): { matching: number; total: number } {
    return { matching: this.matching.length, total: this.all.length };
  }

  /** The rows in drawn order (sorted, filtered), for tests of order through the page. */
  get sortedKeys(): string[] {
    return this.matching.map((row) => this.options.key(row));
  }

  private rowOf(key: string | null): R | undefined {
    return key === null ? undefined : this.matching.find((row) => this.options.key(row) === key);
  }

  private renderHead(): void {
    clear(this.head);
    const cells = this.options.columns.map((column) => {
      const sorted = this.sort.column === column.id;
      const arrow = sorted ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      const button = h('button', { type: 'button', class: 'sort', 'data-column': column.id, title: column.hint }, column.header, h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, arrow));
      button.addEventListener('click', () => this.sortBy(column));
      return h('th', { scope: 'col', class: column.numeric ? 'numeric' : undefined, 'data-column': column.id, 'aria-sort': sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none' }, button);
    });
    this.head.append(h('tr', {}, ...cells));
  }

  private sortBy(column: Column<R>): void {
    const descending = this.sort.column === column.id ? !this.sort.descending : column.numeric === true;
    this.sort = { column: column.id, descending };
    this.renderHead();
    this.update();
    this.options.sortChanged(this.sort);
  }

  /** Sorts stably (ties keep the engine's order), filters, and draws a page. */
  private update(): void {
    const column = this.options.columns.find((c) => c.id === this.sort.column) ?? this.options.columns[0];
    const sign = this.sort.descending ? -1 : 1;
    const keyed = this.all.map((row, index) => ({ row, index, value: column.sortValue(row) }));
    keyed.sort((a, b) => {
      const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value));
      return order * sign || a.index - b.index;
    });
    this.matching = keyed.map((k) => k.row).filter(this.filter);
    this.renderBody();
  }

  private renderBody(): void {
    clear(this.body);
    this.rowsByKey.clear();
    const shown = this.matching.slice(0, this.limit);
    if (this.activeKey === null || !shown.some((row) => this.options.key(row) === this.activeKey)) this.activeKey = shown[0] ? this.options.key(shown[0]) : null;
    for (const row of shown) {
      const key = this.options.key(row);
      const cells = this.options.columns.map((column) => h('td', { class: column.numeric ? 'numeric' : undefined, 'data-column': column.id, title: column.cellHint?.(row) }, column.cell(row)));
      const tr = h('tr', { 'data-key': key, tabindex: -1, 'aria-selected': String(key === this.selectedKey) }, ...cells);
      this.rowsByKey.set(key, tr);
      this.body.append(tr);
    }
    const hidden = this.matching.length - shown.length;
    if (hidden > 0) {
      const more = h('button', { type: 'button', class: 'link show-more' }, `Show ${formatCount(Math.min(hidden, this.options.pageSize ?? PAGE))} more ${this.options.plural} (${formatCount(hidden)} not shown)`);
      more.addEventListener('click', () => {
        this.limit += this.options.pageSize ?? PAGE;
        this.renderBody();
      });
      this.body.append(h('tr', { class: 'more-rows' }, h('td', { colspan: this.options.columns.length }, more)));
    }
    this.markActive();
  }

  private markActive(): void {
    for (const [key, tr] of this.rowsByKey) tr.tabIndex = key === this.activeKey ? 0 : -1;
  }

  private onKey(event: KeyboardEvent): void {
    const tr = (event.target as Element).closest('tr[data-key]');
    if (!tr) return;
    const keys = [...this.rowsByKey.keys()];
    const at = keys.indexOf(tr.getAttribute('data-key') ?? '');
    let to = at;
    switch (event.key) {
      case 'ArrowDown':
        to = at + 1;
        break;
      case 'ArrowUp':
        to = at - 1;
        break;
      case 'PageDown':
        to = at + 10;
        break;
      case 'PageUp':
        to = at - 10;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = keys.length - 1;
        break;
      case 'Enter':
      case ' ': {
        event.preventDefault();
        const row = this.rowOf(keys[at]);
        if (row) this.options.activate(row);
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    to = Math.max(0, Math.min(keys.length - 1, to));
    this.activeKey = keys[to];
    this.markActive();
    this.rowsByKey.get(keys[to])?.focus();
  }
}
