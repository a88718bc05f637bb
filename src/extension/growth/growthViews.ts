/**
 * The Growth views: one per recording, comparison or snapshot, reused while
 * it is open. Also the class flow's "All N instances — merged paths": a view
 * of one snapshot that opens that class's merged paths at once.
 */
import * as vscode from 'vscode';
import type { GrowthSource } from '../../protocol/growthView';
import type { MergedPathsDestination } from '../showFlow';
import type { MergedPathsShown } from '../contributions';
import { Disposable } from '../disposable';
import { UserFacingError } from '../errors';
import type { KeptSnapshot } from '../snapshots/snapshotStore';
import { GROWTH_VIEW_TYPE, GrowthPanel, type GrowthFocus, type ShowObject } from './growthPanel';
import { growthTitle, type GrowthChange, type GrowthModel } from './growthModel';

export class GrowthViews extends Disposable implements MergedPathsDestination {
  private readonly views = new Map<string, GrowthPanel>();
  /** The view opened or revealed last (the test API reads it). */
  last: GrowthPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly showObject: ShowObject,
  ) {
    super();
    this._register({ dispose: () => [...this.views.values()].forEach((view) => view.panel.dispose()) });
  }

  get(model: GrowthModel): GrowthPanel | undefined {
    const view = this.views.get(model.key);
    return view?.model === model && !view.isDisposed ? view : undefined;
  }

  /** Shows `model` in its view, opening it if needed. */
  show(model: GrowthModel, focus?: GrowthFocus): GrowthPanel {
    let view = this.get(model);
    if (view) {
      view.panel.reveal(undefined, false);
    } else {
      this.views.get(model.key)?.panel.dispose();
      const panel = vscode.window.createWebviewPanel(GROWTH_VIEW_TYPE, model.title, vscode.ViewColumn.Active, { retainContextWhenHidden: true, enableFindWidget: true });
      const opened = new GrowthPanel(panel, this.extensionUri, model, focus, this.showObject);
      view = opened;
      this.views.set(model.key, opened);
      model.viewOpened();
      opened.onDidDispose(() => {
        if (this.views.get(model.key) === opened) this.views.delete(model.key);
        if (this.last === opened) this.last = undefined;
        model.viewClosed();
      });
    }
    this.last = view;
    return view;
  }

  /** A view of one snapshot, opening the merged paths of every instance of `className`. */
  showMergedPaths(snapshot: KeptSnapshot, className: string): MergedPathsShown {
    const model = new OneSnapshot(snapshot);
    // A new focus is a new view: the page opens its focus once, at `init`.
    this.views.get(model.key)?.panel.dispose();
    this.show(model, { className, scope: 'all' });
    return { mergedPaths: { className }, title: model.title, snapshotKey: snapshot.key };
  }
}

/** One snapshot, kept by its target or file: no growth, merged paths of all instances only. */
class OneSnapshot implements GrowthModel {
  readonly report = null;
  readonly onDidChange: vscode.Event<GrowthChange> = () => ({ dispose: () => undefined });

  constructor(private readonly snapshot: KeptSnapshot) {
    // Merged paths asked for once they are ready say how much memory each group holds.
    void snapshot.engine.computeRetainedSizes().catch(() => undefined);
  }

  get key() {
    return this.snapshot.key;
  }

  get title(): string {
    return growthTitle(this.snapshot.label);
  }

  get source(): GrowthSource {
    return { label: this.snapshot.label, recording: false, snapshots: 1, canSave: false };
  }

  latest(): KeptSnapshot {
    if (this.snapshot.engine.isStopped) throw new UserFacingError('This snapshot was released; take or open it again to see its paths.');
    return this.snapshot;
  }

  async takeNext(): Promise<void> {
    throw new UserFacingError('This view shows one snapshot; run "Retainer Graph: Record Growth…" to take a series.');
  }

  async stop(): Promise<void> {}

  async save(): Promise<void> {
    throw new UserFacingError('This snapshot is not part of a recording; nothing to save.');
  }

  viewOpened(): void {}
  viewClosed(): void {}
}
