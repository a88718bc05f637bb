/**
 * What a command is about: a process behind a plain inspector or a debug
 * session. Owns how a command's target is resolved, which process was
 * attached last, the one confirmation before attaching off this machine, the
 * watchers that release an attached process's snapshot when it ends, and the
 * sessions held open on a target (a growth recording's), which other
 * commands on that target then share.
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

/** No target given, no debug session active and nothing attached before. */
export class NoTargetError extends Error {
  override name = 'NoTargetError';
}

export class TargetService extends Disposable {
  /** The target of the last Attach, for later commands when no debug session is active. */
  private lastInspector: InspectorChoice | undefined;
  /** Pollers that release an attached process's snapshot when the process ends. */
  private readonly watchers = new Map<SnapshotKey, vscode.Disposable>();
  /** Sessions that must stay open (their heap ids in use): connecting to their target shares them. */
  private readonly held = new Map<SnapshotKey, InspectorSession>();

  constructor(
    private readonly store: SnapshotStore,
    readonly debugSessions: DebugSessionTracker,
  ) {
    super();
    this._register({ dispose: () => this.watchers.forEach((watcher) => watcher.dispose()) });
    // The process is gone: its snapshot can never be compared to it again.
    this._register(debugSessions.onDidEndSession((session) => store.release(debugSessionKey(session.id))));
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
   * Keeps `session` as the connection to `target` until disposed: commands
   * on that target meanwhile get a share of it, because a session of their
   * own would clear V8's heap ids for the whole process when it closes.
   */
  holdSession(target: LiveTarget, session: InspectorSession): vscode.Disposable {
    this.held.set(target.key, session);
    return {
      dispose: () => {
        if (this.held.get(target.key) === session) this.held.delete(target.key);
      },
    };
  }

  /** A share of the session held for `key`, if one is open. */
  private sharedSession(key: SnapshotKey): InspectorSession | undefined {
    const session = this.held.get(key);
    return session && !session.closed ? session.share() : undefined;
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
    return {
      key,
      label: choice.label,
      connect: async () => {
        const shared = this.sharedSession(key);
        if (shared) return shared;
        const session = await InspectorSession.connect({ webSocketUrl: choice.webSocketUrl });
        this.watch(key, choice);
        return session;
      },
    };
  }

  private watch(key: SnapshotKey, choice: InspectorChoice): void {
    if (this.watchers.has(key) || !/^wss?:\/\//.test(choice.webSocketUrl)) return;
    const watcher = watchInspectorTarget(choice.host, choice.port, choice.webSocketUrl, () => {
      this.watchers.delete(key);
      this.store.release(key);
      if (this.lastInspector?.webSocketUrl === choice.webSocketUrl) this.lastInspector = undefined;
      this.store.log.info(`${choice.label} ended; its snapshot was released`);
    });
    this.watchers.set(key, watcher);
  }

  private debugTarget(session: vscode.DebugSession): LiveTarget {
    const key = debugSessionKey(session.id);
    return {
      key,
      label: `debug session "${session.name}"`,
      connect: async () => this.sharedSession(key) ?? connectToDebugSession(session),
    };
  }
}
