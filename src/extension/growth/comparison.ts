/**
 * Growth across saved `.heapsnapshot` files: loaded into one engine worker,
 * each file read once and put in order by its highest object id (V8 hands
 * ids out in rising order within a process; file names say nothing), the
 * older ones kept as digests and the newest as a graph for paths. Files of
 * different processes are compared by class counts only, and the user is
 * told so.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { GrowthReport } from '../../protocol/growth';
import type { GrowthSource } from '../../protocol/growthView';
import { Disposable } from '../disposable';
import { isRemoteError, UserFacingError } from '../errors';
import type { MessageLog } from '../messages';
import { loadCancellably } from '../snapshots/cancellableLoad';
import { growthKey, type SnapshotKey } from '../snapshots/snapshotKeys';
import type { KeptSnapshot, SnapshotStore } from '../snapshots/snapshotStore';
import { growthTitle, type GrowthChange, type GrowthModel } from './growthModel';

/** Reading the files is most of the work; building the newest one's graph the rest. */
const READ_SHARE = 85;

let comparisons = 0;

export class SnapshotComparison extends Disposable implements GrowthModel {
  readonly title: string;
  private readonly changed = this._register(new vscode.EventEmitter<GrowthChange>());
  readonly onDidChange = this.changed.event;

  private constructor(
    private readonly store: SnapshotStore,
    private readonly snapshot: KeptSnapshot,
    private currentReport: GrowthReport,
    /** The files, oldest first. */
    readonly files: string[],
  ) {
    super();
    this.title = growthTitle(orderedLabel(files));
    this._register(
      store.onDidChange(() => {
        if (!store.get(snapshot.key)) this.released();
      }),
    );
    void this.fillRetainedSizes();
  }

  get report(): GrowthReport {
    return this.currentReport;
  }

  /** The newest snapshot's retained sizes, in the worker's background; then the report again with them (and merged paths carry them). */
  private async fillRetainedSizes(): Promise<void> {
    try {
      await this.snapshot.engine.computeRetainedSizes();
      const report = await this.snapshot.engine.growthReport();
      if (!report || this.isDisposed) return;
      this.currentReport = report;
      this.changed.fire({ type: 'report', source: this.source, report });
    } catch {
      // Sizes are a bonus: the report without them stays correct.
    }
  }

  static async load(store: SnapshotStore, messages: MessageLog, uris: readonly vscode.Uri[]): Promise<SnapshotComparison> {
    const paths = [...new Set(uris.map((uri) => uri.fsPath))];
    if (paths.length < 2) throw new UserFacingError('Pick two or more heap snapshots of one process to compare.');
    const names = paths.map((path) => basename(path));
    const label = `${paths.length} heap snapshots`;
    const key = growthKey(`files ${++comparisons}`);
    const request = { key, label, title: `comparing ${paths.length} heap snapshots`, alreadyRunning: 'These snapshots are already being compared.' };
    const { snapshot, value: order } = await loadCancellably(store, request, async ({ engine, report }) => {
      const sizes = await Promise.all(paths.map(async (path) => (await vscode.workspace.fs.stat(vscode.Uri.file(path)).then((stat) => stat.size, () => 0))));
      const total = sizes.reduce((sum, size) => sum + size, 0);
      engine.onProgress((p) => {
        if (p.phase === 'index') return report(READ_SHARE + (100 - READ_SHARE) * (p.fraction ?? 0), 'indexing the newest…');
        const at = p.file === undefined ? -1 : paths.indexOf(p.file);
        const before = sizes.slice(0, Math.max(0, at)).reduce((sum, size) => sum + size, 0);
        report(total > 0 ? (READ_SHARE * (before + (p.bytes ?? 0))) / total : 0, `reading ${at >= 0 ? names[at] : 'snapshots'}…`);
      });
      const summary = await store.log.time(`compare ${paths.length} snapshots`, () => engine.loadSeries(paths));
      return { summary, value: summary.order };
    });
    let report: GrowthReport | null;
    try {
      report = await store.log.time('growth report', () => snapshot.engine.growthReport());
    } catch (error) {
      store.release(key);
      if (isRemoteError(error, 'SnapshotOrderError')) {
        throw new UserFacingError('Two of these files have the same highest object id: the same snapshot twice? Pick snapshots of one process taken one after another.');
      }
      throw error;
    }
    if (!report) throw new Error('a comparison of several files has a report');
    if (!report.sameProcess) {
      messages.warning(`${orderedLabel(order)}: these snapshots come from different processes (their object ids disagree), so only class counts are compared.`);
    }
    return new SnapshotComparison(store, snapshot, report, order);
  }

  get key(): SnapshotKey {
    return this.snapshot.key;
  }

  get source(): GrowthSource {
    const label = orderedLabel(this.files);
    return { label: this.currentReport.sameProcess ? label : `${label} (different processes: class counts only)`, recording: false, snapshots: this.files.length, canSave: false };
  }

  latest(): KeptSnapshot {
    if (this.isDisposed || this.snapshot.engine.isStopped) throw new UserFacingError('These snapshots were released; compare the files again to explore their paths.');
    return this.snapshot;
  }

  async takeNext(): Promise<void> {
    throw new UserFacingError('This view compares saved files; run "Retainer Graph: Record Growth…" to take snapshots of a running process.');
  }

  async stop(): Promise<void> {}

  async save(): Promise<void> {
    throw new UserFacingError('These snapshots are files already.');
  }

  viewOpened(): void {}

  /** The view was the only reason to keep the worker. */
  viewClosed(): void {
    this.store.release(this.key);
  }

  private released(): void {
    if (this.isDisposed) return;
    this.changed.fire({ type: 'error', message: 'These snapshots were released; the report stays as it was.' });
    this.dispose();
  }
}

/** `a.heapsnapshot → b.heapsnapshot → c.heapsnapshot`, oldest first; a count beyond three. */
/** `a.heapsnapshot → b.heapsnapshot` when that reads at a glance, else `3 heap snapshots in demo` (the view lists them in order). */
function orderedLabel(files: readonly string[]): string {
  const names = files.map((file) => basename(file)).join(' → ');
  return files.length <= 3 && names.length <= 60 ? names : `${files.length} heap snapshots in ${basename(dirname(files[0]))}`;
}
