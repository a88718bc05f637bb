/** What is compared (the snapshots, oldest first) and what the user can still do: take the next snapshot, stop, save. */
import type { GrowthReport } from '../../src/protocol/growth';
import type { GrowthSource } from '../../src/protocol/growthView';
import { clear, h } from '../dom';
import { formatBytes, formatCount } from '../format';
import { snapshotName, sourceText } from './sentences';

export interface SourceBarEvents {
  takeNext(): void;
  stop(): void;
  save(): void;
}

export class SourceBar {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;
  private readonly snapshots: HTMLElement;
  private readonly takeNextButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  /** Calls on their way: the button stays disabled until the host answers. */
  private readonly pending = new Set<'takeNext' | 'stop' | 'save'>();
  private source: GrowthSource | null = null;
  /** The host is taking (or reading back) a snapshot: no next one can start meanwhile. */
  private hostBusy = false;

  constructor(events: SourceBarEvents) {
    this.label = h('span', { class: 'source-label' });
    this.snapshots = h('ol', { class: 'snapshots', 'aria-label': 'Snapshots compared, oldest first' });
    this.takeNextButton = h('button', { type: 'button', id: 'take-next', class: 'primary', title: 'Take one more snapshot of the same process and compare' }, 'Take Next Snapshot');
    this.stopButton = h('button', { type: 'button', id: 'stop', title: 'Stop recording; the process is left as it was' }, 'Stop');
    this.saveButton = h('button', { type: 'button', id: 'save', title: 'Save the snapshots as .heapsnapshot files in a folder' }, 'Save Snapshots…');
    this.takeNextButton.addEventListener('click', () => events.takeNext());
    this.stopButton.addEventListener('click', () => events.stop());
    this.saveButton.addEventListener('click', () => events.save());
    this.element = h(
      'div',
      { class: 'source-bar' },
      h('div', { class: 'source-what' }, this.label, this.snapshots),
      h('div', { class: 'actions' }, this.takeNextButton, this.stopButton, this.saveButton),
    );
  }

  update(source: GrowthSource | null, report: GrowthReport | null): void {
    this.source = source;
    this.label.textContent = source ? sourceText(source, report) : '';
    clear(this.snapshots);
    for (const [i, snapshot] of (report?.snapshots ?? []).entries()) {
      const facts = `${formatCount(snapshot.nodeCount)} objects, ${formatBytes(snapshot.totalSize)}`;
      // A live snapshot is named `snapshot N`: its number says it all.
      const name = snapshotName(snapshot);
      this.snapshots.append(h('li', { title: `${snapshot.file}\n${facts}` }, h('span', { class: 'snapshot-index' }, String(i + 1)), name === `snapshot ${i + 1}` ? '' : name));
    }
    this.refresh();
  }

  /** Marks a call as running (its button disabled) until `done`. */
  running(call: 'takeNext' | 'stop' | 'save', busy: boolean): void {
    if (busy) this.pending.add(call);
    else this.pending.delete(call);
    this.refresh();
  }

  /** The host said it is busy with a snapshot (or is no longer). */
  busy(busy: boolean): void {
    this.hostBusy = busy;
    this.refresh();
  }

  private refresh(): void {
    const recording = this.source?.recording === true;
    this.takeNextButton.hidden = !recording;
    this.stopButton.hidden = !recording;
    this.saveButton.hidden = this.source?.canSave !== true;
    this.takeNextButton.disabled = this.hostBusy || this.pending.has('takeNext') || this.pending.has('stop');
    this.stopButton.disabled = this.pending.has('stop');
    this.saveButton.disabled = this.pending.has('save');
  }
}
