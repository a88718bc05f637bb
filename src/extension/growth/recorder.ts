/**
 * Growth recordings, one at a time: started on a live target, shown in the
 * status bar while they run ("Retainer Graph: 2 snapshots — Take Next", and
 * Stop), their Growth view opened as the second snapshot is taken and
 * brought forward with every further one.
 */
import * as vscode from 'vscode';
import { Commands, type GrowthShown } from '../contributions';
import { Disposable } from '../disposable';
import { UserFacingError } from '../errors';
import type { LiveTarget } from '../snapshots/capture';
import { debugSessionKey } from '../snapshots/snapshotKeys';
import type { DebugSessionTracker } from '../targets/debugSessionTracker';
import type { GrowthViews } from './growthViews';
import { LiveRecording, type RecordingDeps, type RecordingOptions } from './liveRecording';

export class GrowthRecorder extends Disposable {
  /** Every recording not yet released (their files go when the extension stops). */
  private readonly recordings = new Set<LiveRecording>();
  /** The one recording now, if any. */
  private active: LiveRecording | undefined;
  /** The recording saved by "Save Recorded Snapshots…": the latest not yet released. */
  private last: LiveRecording | undefined;
  private starting = false;
  private readonly nextItem: vscode.StatusBarItem;
  private readonly stopItem: vscode.StatusBarItem;

  constructor(
    private readonly deps: RecordingDeps,
    private readonly views: GrowthViews,
    debugSessions: DebugSessionTracker,
  ) {
    super();
    this.nextItem = this._register(vscode.window.createStatusBarItem('retainerGraph.recording.next', vscode.StatusBarAlignment.Left, 100));
    this.nextItem.name = 'Retainer Graph: growth recording';
    this.stopItem = this._register(vscode.window.createStatusBarItem('retainerGraph.recording.stop', vscode.StatusBarAlignment.Left, 99));
    this.stopItem.name = 'Retainer Graph: stop recording';
    this.stopItem.command = Commands.StopRecording;
    this._register(
      debugSessions.onDidEndSession((session) => {
        const active = this.active;
        if (active?.target.key === debugSessionKey(session.id)) void active.stop(`The debug session "${session.name}" ended; the recording stopped after ${active.count} snapshot${active.count === 1 ? '' : 's'}.`);
      }),
    );
    this._register({ dispose: () => [...this.recordings].forEach((recording) => recording.dispose()) });
    this.update();
  }

  /** Takes the baseline snapshot of `target` and starts recording. */
  async record(target: LiveTarget, options: RecordingOptions = {}): Promise<GrowthShown> {
    const running = this.active;
    if (running || this.starting) {
      throw new UserFacingError(`Growth of ${running?.target.label ?? 'a process'} is being recorded; take its next snapshot or stop it first.`);
    }
    this.starting = true;
    let recording: LiveRecording;
    try {
      recording = await LiveRecording.start(this.deps, target, options);
    } finally {
      this.starting = false;
    }
    this.track(recording);
    return shown(recording);
  }

  /**
   * One more snapshot of the running recording; from the second on, its Growth
   * view shows the growth. The view opens as the second snapshot begins, so
   * its page has loaded (and says what is being taken) by the time the report
   * comes; should that snapshot not complete, the view goes with the recording.
   */
  async takeNext(): Promise<GrowthShown> {
    const recording = this.active;
    if (!recording) throw new UserFacingError('No growth recording is running; run "Retainer Graph: Record Growth…" first.');
    const opensView = recording.count === 1 && !recording.isTaking && this.views.get(recording) === undefined;
    if (opensView) this.views.show(recording);
    try {
      await recording.takeNext();
    } catch (error) {
      if (opensView && recording.count < 2) this.views.get(recording)?.panel.dispose();
      throw error;
    }
    if (recording.count >= 2 && !recording.isReleased) this.views.show(recording);
    return shown(recording);
  }

  async stop(): Promise<void> {
    const recording = this.active;
    if (!recording) throw new UserFacingError('No growth recording is running.');
    const count = recording.count;
    await recording.stop(recording.isTaking ? undefined : `Stopped recording ${recording.target.label} after ${count} snapshot${count === 1 ? '' : 's'}.`);
  }

  /** Saves the snapshots of the latest recording (running or stopped, not released). */
  save(folder: string | undefined): Promise<{ folder: string; files: string[] }> {
    if (!this.last) throw new UserFacingError('There is no recording to save; run "Retainer Graph: Record Growth…" first.');
    return this.last.saveTo(folder);
  }

  /** The running recording whose snapshots are kept under `key`, if any (its session still holds their ids). */
  runningRecording(key: string): LiveRecording | undefined {
    return this.active?.key === key && this.active.isRecording ? this.active : undefined;
  }

  /** Is V8 recording allocation stacks for the running recording? */
  get tracksAllocations(): boolean {
    return this.active?.trackingAllocations ?? false;
  }

  /** The status bar's recording items, as shown (the test API reads them). */
  get status(): { text: string; stop: string } | undefined {
    return this.active ? { text: this.nextItem.text, stop: this.stopItem.text } : undefined;
  }

  private track(recording: LiveRecording): void {
    this.recordings.add(recording);
    this.active = recording;
    this.last = recording;
    const subscription = recording.onDidChangeState(() => {
      if (!recording.isRecording && this.active === recording) this.active = undefined;
      if (recording.isReleased) {
        this.recordings.delete(recording);
        if (this.last === recording) this.last = undefined;
        subscription.dispose();
      }
      this.update();
    });
    this.update();
  }

  private update(): void {
    const recording = this.active;
    void vscode.commands.executeCommand('setContext', 'retainerGraph.recording', recording !== undefined);
    void vscode.commands.executeCommand('setContext', 'retainerGraph.hasRecording', this.last !== undefined);
    if (!recording) {
      this.nextItem.hide();
      this.stopItem.hide();
      return;
    }
    const { count, target } = recording;
    if (recording.isTaking) {
      this.nextItem.text = `$(loading~spin) Retainer Graph: taking snapshot ${count + 1}…`;
      this.nextItem.command = undefined;
      this.nextItem.tooltip = `A heap snapshot of ${target.label} is being taken`;
      this.stopItem.tooltip = `Cancel snapshot ${count + 1} and stop recording ${target.label}`;
    } else {
      this.nextItem.text = `$(record) Retainer Graph: ${count} snapshot${count === 1 ? '' : 's'} — Take Next`;
      this.nextItem.command = Commands.TakeNextSnapshot;
      this.nextItem.tooltip = `Take the next heap snapshot of ${target.label}; the Growth view compares every snapshot of the recording`;
      this.stopItem.tooltip = `Stop recording ${target.label} (the process is left as it was)`;
    }
    this.stopItem.text = '$(debug-stop) Stop';
    this.nextItem.show();
    this.stopItem.show();
  }
}

function shown(recording: LiveRecording): GrowthShown {
  return { snapshotKey: recording.key, snapshots: recording.count, report: recording.report };
}
