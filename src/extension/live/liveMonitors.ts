/**
 * The memory charts running now, one per live target, shared by whoever
 * shows it (the Memory view beside the debugger, a growth recording's
 * Growth view): the chart stops when the last of them lets go, or when the
 * target ends. Debug adapters' stopped/continued events pause and resume the
 * chart of their session.
 */
import { Disposable } from '../disposable';
import type { LiveTarget } from '../snapshots/capture';
import { debugSessionKey, type SnapshotKey } from '../snapshots/snapshotKeys';
import { isPaused, type DebugSessionTracker } from '../targets/debugSessionTracker';
import type { TargetService } from '../targets/targetService';
import { HeapMonitor } from './heapMonitor';

export interface MonitorUse {
  readonly monitor: HeapMonitor;
  /** Lets go; the last use stops the chart (its series stays with whoever shows it). */
  release(): void;
}

interface Running {
  monitor: Promise<HeapMonitor>;
  users: number;
}

export class LiveMonitors extends Disposable {
  private readonly running = new Map<SnapshotKey, Running>();

  constructor(
    private readonly targets: TargetService,
    private readonly debugSessions: DebugSessionTracker,
  ) {
    super();
    this._register(
      debugSessions.onDidChangePaused(({ sessionId, paused }) => {
        void this.running.get(debugSessionKey(sessionId))?.monitor.then((monitor) => monitor.setPaused(paused), () => undefined);
      }),
    );
    this._register(
      debugSessions.onDidEndSession((session) => {
        void this.running.get(debugSessionKey(session.id))?.monitor.then((monitor) => monitor.stop(`The debug session "${session.name}" ended.`), () => undefined);
      }),
    );
    this._register({ dispose: () => [...this.running.values()].forEach((entry) => void entry.monitor.then((monitor) => monitor.dispose(), () => undefined)) });
  }

  /** The target's running chart (started when there is none), until release(). */
  async use(target: LiveTarget): Promise<MonitorUse> {
    let entry = this.running.get(target.key);
    if (!entry) {
      const starting = HeapMonitor.start(target, this.targets);
      const created: Running = { monitor: starting, users: 0 };
      entry = created;
      this.running.set(target.key, created);
      starting.then(
        (monitor) => {
          const session = this.debugSessionOf(target.key);
          if (session && isPaused(session)) monitor.setPaused(true);
          monitor.onDidStop(() => {
            if (this.running.get(target.key) === created) this.running.delete(target.key);
          });
        },
        () => {
          if (this.running.get(target.key) === created) this.running.delete(target.key);
        },
      );
    }
    entry.users++;
    const current = entry;
    let monitor: HeapMonitor;
    try {
      monitor = await current.monitor;
    } catch (error) {
      current.users--;
      throw error;
    }
    let released = false;
    return {
      monitor,
      release: () => {
        if (released) return;
        released = true;
        if (--current.users === 0) monitor.stop('The chart was closed.');
      },
    };
  }

  /** The running chart of `key`, if any. */
  async get(key: SnapshotKey): Promise<HeapMonitor | undefined> {
    return this.running.get(key)?.monitor.catch(() => undefined);
  }

  private debugSessionOf(key: SnapshotKey) {
    if (!key.startsWith('debug:')) return undefined;
    try {
      return this.debugSessions.find(key.slice('debug:'.length));
    } catch {
      return undefined;
    }
  }
}
