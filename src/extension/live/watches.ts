/**
 * Watch Until Collected: did the fix work? A watch keeps the snapshot ids of
 * one object, or of every object of a merged-path group, and asks V8 about
 * them: "Check Now" forces a full GC (HeapProfiler.collectGarbage) and looks
 * each id up (getObjectByHeapObjectId, released at once: the watch never keeps
 * an object alive). It checks itself when the debugger next pauses and every
 * N seconds (retainerGraph.watchCheckEverySeconds), and says once when
 * everything it watches is collected.
 *
 * Snapshot ids exist only while the inspector session that assigned them
 * stays open (closing any session makes V8 forget them all), so a watch holds
 * a lease of the target's one connection (TargetService.lease) for as long as
 * it lives; the process restarting or ending ends the watch, saying so.
 */
import * as vscode from 'vscode';
import { ObjectIdsLostError, SnapshotInProgressError } from '../../inspector';
import type { ObjectLiveness } from '../../protocol/liveHeap';
import { readConfig } from '../config';
import { Disposable } from '../disposable';
import { describeError, UserFacingError } from '../errors';
import type { MessageLog } from '../messages';
import type { LiveTarget } from '../snapshots/capture';
import { debugSessionKey } from '../snapshots/snapshotKeys';
import type { DebugSessionTracker } from '../targets/debugSessionTracker';
import type { SessionLease, TargetService } from '../targets/targetService';

export type WatchedState = 'unknown' | 'alive' | 'collected';

export interface WatchedObject {
  id: number;
  state: WatchedState;
  /** What V8 calls it while alive (`ResourceLoader`). */
  className?: string;
}

/** One watch as views and the test API see it. */
export interface WatchStatus {
  watchId: number;
  /** `ResourceLoader @12345`, `Processor.instanceMap.get(*) → ResourceLoader ×14`. */
  label: string;
  target: string;
  objects: WatchedObject[];
  alive: number;
  collected: number;
  checks: number;
  lastCheck: number | null;
  /** Set once the watch can no longer check (the process ended or restarted). */
  ended?: string;
  /** The last check's failure, or a note (the GC did not run while paused). */
  note?: string;
}

export class Watch {
  objects: WatchedObject[];
  checks = 0;
  lastCheck: number | null = null;
  ended: string | undefined;
  note: string | undefined;
  notified = false;
  checking: Promise<void> | undefined;
  /** A check to run once `checking` ends, for everyone who asked while it ran. */
  nextCheck: Promise<void> | undefined;
  /** Stops listening for the connection's end. */
  offDisconnect: () => void = () => undefined;

  constructor(
    readonly watchId: number,
    readonly label: string,
    readonly target: LiveTarget,
    readonly lease: SessionLease,
    ids: readonly number[],
  ) {
    this.objects = ids.map((id) => ({ id, state: 'unknown' }));
  }

  status(): WatchStatus {
    const alive = this.objects.filter((o) => o.state === 'alive').length;
    const collected = this.objects.filter((o) => o.state === 'collected').length;
    return {
      watchId: this.watchId,
      label: this.label,
      target: this.target.label,
      objects: this.objects.map((o) => ({ ...o })),
      alive,
      collected,
      checks: this.checks,
      lastCheck: this.lastCheck,
      ...(this.ended ? { ended: this.ended } : {}),
      ...(this.note ? { note: this.note } : {}),
    };
  }

  get allCollected(): boolean {
    return this.objects.length > 0 && this.objects.every((o) => o.state === 'collected');
  }
}

/** Watches this many objects at most: each check looks every id up. */
export const MAX_WATCHED = 2000;

export class Watches extends Disposable {
  private readonly watches = new Map<number, Watch>();
  private next = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly added = this._register(new vscode.EventEmitter<WatchStatus>());
  /** A watch was added (after its first check). */
  readonly onDidAdd = this.added.event;

  constructor(
    private readonly targets: TargetService,
    private readonly messages: MessageLog,
    debugSessions: DebugSessionTracker,
  ) {
    super();
    // When the debugger stops, each watch on that process checks itself once.
    this._register(
      debugSessions.onDidChangePaused(({ sessionId, paused }) => {
        if (!paused) return;
        for (const watch of this.watches.values()) if (watch.target.key === debugSessionKey(sessionId) && !watch.ended) void this.check(watch.watchId, { joinRunning: true }).catch(() => undefined);
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      clearInterval(timer);
      const seconds = readConfig('watchCheckEverySeconds');
      timer = seconds > 0 ? setInterval(() => this.checkAll(), seconds * 1000) : undefined;
    };
    schedule();
    this._register(vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('retainerGraph.watchCheckEverySeconds') && schedule()));
    this._register({ dispose: () => clearInterval(timer) });
    this._register({ dispose: () => [...this.watches.values()].forEach((watch) => void watch.lease.release()) });
  }

  get all(): Watch[] {
    return [...this.watches.values()];
  }

  get(watchId: number): Watch {
    const watch = this.watches.get(watchId);
    if (!watch) throw new UserFacingError('That watch was removed.');
    return watch;
  }

  /**
   * Watches `ids` of `target` (snapshot ids of a snapshot taken over the
   * target's open connection) and checks them at once: ids the process no
   * longer holds are refused here, in words that say why.
   */
  async add(target: LiveTarget, ids: readonly number[], label: string): Promise<WatchStatus> {
    if (ids.length === 0) throw new UserFacingError('There is nothing to watch.');
    if (ids.length > MAX_WATCHED) throw new UserFacingError(`${ids.length} objects are too many to watch (at most ${MAX_WATCHED}): each check looks every one up.`);
    const lease = await this.targets.lease(target);
    const watch = new Watch(++this.next, label, target, lease, ids);
    try {
      await this.checkWatch(watch);
    } catch (error) {
      await lease.release();
      if (error instanceof ObjectIdsLostError) {
        throw new UserFacingError(
          `The snapshot ids of ${target.label} are gone: V8 keeps them only while the inspector session that took the snapshot is open. Open the memory chart or record growth on it first (they keep one session open), show the object again, then watch it.`,
        );
      }
      throw error;
    }
    this.watches.set(watch.watchId, watch);
    watch.offDisconnect = lease.session.onDisconnect(() => this.end(watch, `${target.label} ended or restarted: its snapshot ids ended with the inspector session, so this watch cannot check any more. Record growth again to compare the runs.`));
    this.changed.fire();
    this.added.fire(watch.status());
    return watch.status();
  }

  /**
   * "Check Now": a full GC, then each id looked up. The answer comes from a
   * check that began after the call: one already running may have looked the
   * ids up before the fix the user just applied. Automatic checks
   * (`joinRunning`) take the running one's answer instead.
   */
  async check(watchId: number, { joinRunning = false }: { joinRunning?: boolean } = {}): Promise<WatchStatus> {
    const watch = this.get(watchId);
    if (watch.ended) throw new UserFacingError(watch.ended);
    try {
      await (joinRunning ? this.checkWatch(watch) : this.checkAfterRunning(watch));
    } catch (error) {
      if (error instanceof ObjectIdsLostError) this.end(watch, `The snapshot ids of ${watch.target.label} were lost (${error.message}); this watch ended. Record growth again to compare.`);
      else if (!(error instanceof SnapshotInProgressError)) watch.note = describeError(error);
      this.changed.fire();
      throw error;
    }
    this.changed.fire();
    return watch.status();
  }

  async remove(watchId: number): Promise<void> {
    const watch = this.watches.get(watchId);
    if (!watch) return;
    this.watches.delete(watchId);
    watch.offDisconnect();
    this.changed.fire();
    await watch.lease.release();
  }

  private checkAll(): void {
    for (const watch of this.watches.values()) {
      if (!watch.ended && !watch.allCollected) void this.check(watch.watchId, { joinRunning: true }).catch(() => undefined);
    }
  }

  /** A check that starts once the running one (if any) ends; callers meanwhile share it. */
  private checkAfterRunning(watch: Watch): Promise<void> {
    const running = watch.checking;
    if (!running) return this.checkWatch(watch);
    watch.nextCheck ??= running
      .catch(() => undefined)
      .then(() => {
        watch.nextCheck = undefined;
        // The running check has let go of `checking` by now (its wait was registered first): one started since began after the call.
        return this.checkWatch(watch);
      });
    return watch.nextCheck;
  }

  private async checkWatch(watch: Watch): Promise<void> {
    // One check at a time per watch: a second asks for the running one's answer.
    if (watch.checking) return watch.checking;
    const running = (async () => {
      const alive = watch.objects.filter((o) => o.state !== 'collected');
      const { objects, garbageCollected } = await watch.lease.session.checkAlive(alive.map((o) => o.id));
      const byId = new Map<number, ObjectLiveness>(objects.map((o) => [o.id, o]));
      for (const object of watch.objects) {
        const found = byId.get(object.id);
        if (!found) continue;
        object.state = found.state;
        object.className = found.className ?? object.className;
      }
      watch.checks++;
      watch.lastCheck = Date.now();
      watch.note = garbageCollected ? undefined : 'The garbage collector did not run (the program is paused); objects held only weakly may still read as alive.';
      if (watch.allCollected && !watch.notified) {
        watch.notified = true;
        this.messages.info(watch.objects.length === 1 ? `"${watch.label}" was collected: the fix works.` : `All ${watch.objects.length} watched objects of "${watch.label}" were collected: the fix works.`);
      }
    })();
    watch.checking = running;
    try {
      await running;
    } finally {
      watch.checking = undefined;
    }
  }

  private end(watch: Watch, why: string): void {
    if (watch.ended) return;
    watch.ended = why;
    void watch.lease.release();
    this.messages.warning(why);
    this.changed.fire();
  }
}
