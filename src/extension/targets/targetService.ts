/**
 * What a command is about: a process behind a plain inspector or a debug
 * session. Owns how a command's target is resolved, which process was
 * attached last, the one confirmation before attaching off this machine, the
 * watchers that release an attached process's snapshot when it ends, and the
 * one connection per target that everything needing V8's heap ids leases (a
 * growth recording, the memory chart, watches): other commands on that
 * target then share it.
 *
 * Why one connection: closing ANY inspector session of a process makes V8
 * forget every snapshot id it handed out (checked on Node 20 and 24), so a
 * second session of ours closing would silently end a recording's or a
 * watch's ids. Leases share one connection, closed when the last is released.
 */
import * as vscode from 'vscode';
import { InspectorSession, isLoopback } from '../../inspector';
import type { TargetSpec } from '../contributions';
import { Disposable } from '../disposable';
import { UserCancelled } from '../errors';
import type { LiveTarget } from '../snapshots/capture';
import { debugSessionKey, inspectorKey, type SnapshotKey } from '../snapshots/snapshotKeys';
import type { SnapshotStore } from '../snapshots/snapshotStore';
import type { DebugSessionTracker } from './debugSessionTracker';
import { connectToDebugSession } from './debugSessions';
import { pickInspectorTarget, resolveAddress, type InspectorChoice } from './inspectorPicker';
import { watchInspectorTarget } from './targetWatcher';

/** A resolved target; `session` is set when it is a debug session (expressions may then use its paused frame). */
export interface ResolvedTarget {
  target: LiveTarget;
  session?: vscode.DebugSession;
}

/** A use of the target's shared connection; `session` is a share of it, released with the lease. */
export interface SessionLease {
  readonly session: InspectorSession;
  /** Do other leases or commands use the connection now (so releasing this one leaves it open)? */
  readonly shared: boolean;
  /** Lets go; the last lease released closes the connection, which is the cleanup (V8 forgets its ids, tracking stops). */
  release(): Promise<void>;
}

interface LeasedConnection {
  base: InspectorSession;
  leases: Set<InspectorSession>;
}

/** No target given, no debug session active and nothing attached before. */
export class NoTargetError extends Error {
  override name = 'NoTargetError';
}

export class TargetService extends Disposable {
  /** The target of the last Attach, for later commands when no debug session is active. */
  private lastInspector: InspectorChoice | undefined;
  /** Pollers that release an attached process's snapshot when the process ends. */
  private readonly watchers = new Map<SnapshotKey, vscode.Disposable>();
  /** Connections leased by key (their heap ids in use): connecting to their target shares them. */
  private readonly leased = new Map<SnapshotKey, Promise<LeasedConnection>>();
  /** Every live target resolved so far, by key: a kept snapshot names its target by key. */
  private readonly known = new Map<SnapshotKey, LiveTarget>();

  constructor(
    private readonly store: SnapshotStore,
    readonly debugSessions: DebugSessionTracker,
  ) {
    super();
    this._register({ dispose: () => this.watchers.forEach((watcher) => watcher.dispose()) });
    // The process is gone: its snapshot can never be compared to it again.
    this._register(
      debugSessions.onDidEndSession((session) => {
        store.release(debugSessionKey(session.id));
        this.known.delete(debugSessionKey(session.id));
      }),
    );
  }

  /**
   * Attach's target: the address given (host:port or ws:// URL) or picked,
   * confirmed when it is not on this machine, and remembered for later commands.
   */
  async attach({ address, confirmRemote = false }: { address?: string; confirmRemote?: boolean }): Promise<LiveTarget> {
    const choice = address ? await resolveAddress(address) : await pickInspectorTarget(this.lastInspector);
    if (!confirmRemote) await this.confirmRemote(choice);
    this.lastInspector = choice;
    return this.inspectorTarget(choice);
  }

  /**
   * The target of the Expression and Class commands: the spec given, else the
   * active js-debug session, else the last attached process, else ask as
   * Attach does (unless `ask` is false: NoTargetError).
   */
  async resolve(spec: TargetSpec | undefined, { ask = true } = {}): Promise<ResolvedTarget> {
    if (spec?.kind === 'debugSession') return this.debugSession(spec.sessionId);
    if (spec?.kind === 'inspector') {
      const choice = spec.webSocketUrl
        ? { webSocketUrl: spec.webSocketUrl, host: spec.host, port: spec.port, label: `${spec.host}:${spec.port}` }
        : await resolveAddress(`${spec.host}:${spec.port}`);
      return { target: this.inspectorTarget(choice) };
    }
    const active = this.debugSessions.active();
    if (active) return { target: this.debugTarget(active), session: active };
    if (this.lastInspector) return { target: this.inspectorTarget(this.lastInspector) };
    if (!ask) throw new NoTargetError();
    return { target: await this.attach({}) };
  }

  /** The process behind a debug session, by id (the Variables view names its session). */
  debugSession(sessionId: string): Required<ResolvedTarget> {
    const session = this.debugSessions.find(sessionId);
    return { target: this.debugTarget(session), session };
  }

  /**
   * A share of the target's one leased connection, opening it when nobody
   * holds it. Commands on the target meanwhile get shares too (connect()),
   * so the ids V8 assigns stay valid until the last lease is released.
   */
  async lease(target: LiveTarget): Promise<SessionLease> {
    const key = target.key;
    let pending = this.leased.get(key);
    const current = pending && (await pending.catch(() => undefined));
    if (!current || current.base.closed) {
      pending = target.connect().then((base) => {
        const connection: LeasedConnection = { base, leases: new Set() };
        base.onDisconnect(() => {
          if (this.leased.get(key) === pending) this.leased.delete(key);
        });
        return connection;
      });
      this.leased.set(key, pending);
      pending.catch(() => {
        if (this.leased.get(key) === pending) this.leased.delete(key);
      });
    }
    const connection = await pending!;
    const session = connection.base.share();
    connection.leases.add(session);
    let released = false;
    return {
      session,
      get shared() {
        return connection.leases.size > 1 || connection.base.sharedBy > connection.leases.size;
      },
      release: async () => {
        if (released) return;
        released = true;
        connection.leases.delete(session);
        await session.close();
        if (connection.leases.size > 0) return;
        if (this.leased.get(key) === pending) this.leased.delete(key);
        await connection.base.close();
      },
    };
  }

  /** The live target a snapshot of `key` was taken of, while it may still run. */
  liveTarget(key: SnapshotKey): LiveTarget | undefined {
    return this.known.get(key);
  }

  /** A share of the connection leased for `key`, if one is open. */
  private async sharedSession(key: SnapshotKey): Promise<InspectorSession | undefined> {
    const connection = await this.leased.get(key)?.catch(() => undefined);
    return connection && !connection.base.closed ? connection.base.share() : undefined;
  }

  /** An inspector connection can run any code in the process: off this machine, ask first. */
  private async confirmRemote(choice: InspectorChoice): Promise<void> {
    if (isLoopback(choice.host)) return;
    const answer = await vscode.window.showWarningMessage(
      `Attach to ${choice.label}?`,
      { modal: true, detail: 'This address is not on this machine. An inspector connection can run any code in that process; attach only to processes you trust.' },
      'Attach',
    );
    if (answer !== 'Attach') throw new UserCancelled();
  }

  private inspectorTarget(choice: InspectorChoice): LiveTarget {
    const key = inspectorKey(choice.webSocketUrl);
    return this.remember({
      key,
      label: choice.label,
      connect: async () => {
        const shared = await this.sharedSession(key);
        if (shared) return shared;
        const session = await InspectorSession.connect({ webSocketUrl: choice.webSocketUrl });
        this.watch(key, choice);
        return session;
      },
    });
  }

  private remember(target: LiveTarget): LiveTarget {
    this.known.set(target.key, target);
    return target;
  }

  private watch(key: SnapshotKey, choice: InspectorChoice): void {
    if (this.watchers.has(key) || !/^wss?:\/\//.test(choice.webSocketUrl)) return;
    const watcher = watchInspectorTarget(choice.host, choice.port, choice.webSocketUrl, () => {
      this.watchers.delete(key);
      this.known.delete(key);
      this.store.release(key);
      if (this.lastInspector?.webSocketUrl === choice.webSocketUrl) this.lastInspector = undefined;
      this.store.log.info(`${choice.label} ended; its snapshot was released`);
    });
    this.watchers.set(key, watcher);
  }

  private debugTarget(session: vscode.DebugSession): LiveTarget {
    const key = debugSessionKey(session.id);
    return this.remember({
      key,
      label: `debug session "${session.name}"`,
      connect: async () => (await this.sharedSession(key)) ?? connectToDebugSession(session),
    });
  }
}
