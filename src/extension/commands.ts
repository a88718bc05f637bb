/**
 * The command implementations. Each accepts optional arguments (see
 * CommandArgs) so scripts and tests can run it without quick picks, returns
 * what it showed, and turns failures into one message at this boundary.
 */
import * as vscode from 'vscode';
import { InspectorSession, isLoopback, type RemoteObjectHandle } from '../inspector';
import type { Walk, WalkOptions } from '../protocol/walk';
import { captureSnapshot, loadSnapshotFile, type LiveTarget } from './capture';
import { Commands, readConfig, registerCommand, type CommandArgs, type DebugVariableArg, type TargetSpec } from './contributions';
import { concreteSession, connectToDebugSession, evaluateNameForRetainers, isJsDebugSession, selectedCallFrameId } from './debugSessions';
import { isUnknownObjectError } from './engineClient';
import { MessageLog, UserCancelled, UserFacingError } from './messages';
import type { PanelManager } from './panel';
import { pickClass, pickInspectorTarget, pickInstance, resolveAddress, type InspectorChoice } from './pickers';
import type { KeptSnapshot, SnapshotStore } from './snapshots';
import { watchInspectorTarget } from './targetWatcher';

/** What a command showed: returned to callers (tests, scripts). */
export interface ShowResult {
  walk: Walk;
  title: string;
  snapshotKey: string;
}

/** How many instances the class flow lists. */
const INSTANCE_LIMIT = 200;

export class RetainerGraphCommands {
  /** The target of the last Attach, for later commands when no debug session is active. */
  private lastInspector: InspectorChoice | undefined;
  private readonly debugSessions = new Map<string, vscode.DebugSession>();
  /** Pollers that release an attached process's snapshot when the process ends. */
  private readonly watchers = new Map<string, vscode.Disposable>();

  constructor(
    private readonly store: SnapshotStore,
    private readonly panels: PanelManager,
    readonly messages: MessageLog,
  ) {}

  register(): vscode.Disposable[] {
    return [
      registerCommand(Commands.Attach, (args) => this.guard(() => this.attach(args))),
      registerCommand(Commands.ShowRetainers, (arg) => this.guard(() => this.showRetainersOfVariable(arg))),
      registerCommand(Commands.ShowRetainersOfExpression, (args) => this.guard(() => this.showRetainersOfExpression(args))),
      registerCommand(Commands.ShowRetainersOfClass, (args) => this.guard(() => this.showRetainersOfClass(args))),
      registerCommand(Commands.OpenSnapshot, (uri) => this.guard(() => this.openSnapshot(uri))),
      registerCommand(Commands.ReleaseSnapshots, () => this.guard(async () => this.releaseSnapshots())),
      { dispose: () => this.watchers.forEach((watcher) => watcher.dispose()) },
      vscode.debug.onDidStartDebugSession((session) => this.debugSessions.set(session.id, session)),
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.debugSessions.delete(session.id);
        // The process is gone: its snapshot can never be compared to it again.
        this.store.release(`debug:${session.id}`);
      }),
    ];
  }

  /** Runs a command body; user-facing messages only here. */
  private async guard<T>(body: () => Promise<T>): Promise<T | undefined> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof UserCancelled) return undefined;
      this.messages.error(error);
      return undefined;
    }
  }

  // ── Attach ────────────────────────────────────────────────────────────────

  async attach(args: CommandArgs[Commands.Attach][0] = {}): Promise<ShowResult | undefined> {
    const choice = args.webSocketUrl || args.address ? await resolveAddress(args.webSocketUrl ?? args.address ?? '') : await pickInspectorTarget();
    if (!isLoopback(choice.host) && args.confirmRemote !== true) {
      const answer = await vscode.window.showWarningMessage(
        `Attach to ${choice.label}?`,
        { modal: true, detail: 'This address is not on this machine. An inspector connection can run any code in that process; attach only to processes you trust.' },
        'Attach',
      );
      if (answer !== 'Attach') throw new UserCancelled();
    }
    this.lastInspector = choice;
    const target = this.inspectorTarget(choice);
    let expression = args.expression;
    if (expression === undefined) {
      expression = await vscode.window.showInputBox({
        title: `Show Retainers in ${choice.label}`,
        prompt: 'A JavaScript expression for the object (evaluated in the global scope), or leave empty to pick a class',
        placeHolder: 'globalThis.appCache',
        ignoreFocusOut: true,
      });
      if (expression === undefined) throw new UserCancelled();
    }
    if (expression.trim() === '') return this.classFlow(target, { fresh: true });
    return this.showExpression(target, expression, undefined);
  }

  // ── Variables / Watch view ─────────────────────────────────────────────────

  async showRetainersOfVariable(arg: DebugVariableArg | undefined): Promise<ShowResult | undefined> {
    if (!arg?.variable) throw new UserFacingError('Run "Show Retainers" from the Variables or Watch view of a paused Node.js debug session.');
    const evaluateName = arg.variable.evaluateName;
    if (!evaluateName) throw new UserFacingError(`VS Code cannot name "${arg.variable.name}" as an expression; use "Show Retainers of Expression…" instead.`);
    const session = this.findDebugSession(arg.sessionId);
    const expression = evaluateNameForRetainers(evaluateName);
    return this.showExpression(this.debugTarget(session), expression, { session, frame: 'selected' }, arg.variable.name);
  }

  // ── Expression ─────────────────────────────────────────────────────────────

  async showRetainersOfExpression(args: CommandArgs[Commands.ShowRetainersOfExpression][0] = {}): Promise<ShowResult | undefined> {
    const { target, session } = await this.resolveTarget(args.target);
    let expression = args.expression;
    if (expression === undefined) {
      const where = session ? (isPaused(session) ? 'the selected stack frame' : 'the global scope (the program is running)') : 'the global scope';
      expression = await vscode.window.showInputBox({
        title: `Show Retainers of Expression — ${target.label}`,
        prompt: `A JavaScript expression for the object, evaluated in ${where}`,
        placeHolder: 'Processor.instanceMap.get("bot3")',
        ignoreFocusOut: true,
      });
      if (!expression) throw new UserCancelled();
    }
    const frame = session ? { session, frame: args.frameIndex ?? ('selected' as const) } : undefined;
    return this.showExpression(target, expression, frame);
  }

  // ── Class ──────────────────────────────────────────────────────────────────

  async showRetainersOfClass(args: CommandArgs[Commands.ShowRetainersOfClass][0] = {}): Promise<ShowResult | undefined> {
    if (args.file) {
      const snapshot = await loadSnapshotFile(this.store, vscode.Uri.file(args.file));
      return this.pickAndShow(snapshot, args);
    }
    let target: LiveTarget | undefined;
    try {
      target = (await this.resolveTarget(args.target, { ask: false })).target;
    } catch (error) {
      if (!(error instanceof NoTargetError)) throw error;
    }
    if (!target) {
      const latest = this.store.latest();
      if (latest) return this.pickAndShow(latest, args);
      target = (await this.resolveTarget(args.target)).target;
    }
    return this.classFlow(target, args);
  }

  private async classFlow(target: LiveTarget, args: { className?: string; nth?: number; fresh?: boolean }): Promise<ShowResult | undefined> {
    let snapshot = this.store.get(target.key);
    if (snapshot && args.fresh === undefined && args.className === undefined) {
      const reuse = `Use the snapshot taken at ${snapshot.takenAt.toLocaleTimeString()}`;
      const answer = await vscode.window.showQuickPick([reuse, 'Take a new snapshot'], { title: `Classes of ${target.label}` });
      if (!answer) throw new UserCancelled();
      if (answer !== reuse) snapshot = undefined;
    } else if (args.fresh) {
      snapshot = undefined;
    }
    snapshot ??= (await captureSnapshot(this.store, target)).snapshot;
    return this.pickAndShow(snapshot, args);
  }

  /** The class list → instance → retainer graph flow on a loaded snapshot (also used by the custom editor). */
  async pickAndShow(snapshot: KeptSnapshot, args: { className?: string; nth?: number } = {}, show?: (walk: Walk, title: string) => void): Promise<ShowResult | undefined> {
    const classes = await snapshot.engine.classes();
    const className = args.className ?? (await pickClass(classes, `Classes in ${snapshot.label} (${classes.length.toLocaleString('en-US')})`)).name;
    if (!classes.some((summary) => summary.name === className)) throw new UserFacingError(`The snapshot has no objects of class ${className}.`);
    const list = await snapshot.engine.instances(className, INSTANCE_LIMIT);
    let node;
    if (args.nth !== undefined) {
      node = list.nodes[args.nth];
      if (!node) throw new UserFacingError(`${className} has ${list.total} instances; there is no instance number ${args.nth}.`);
    } else {
      const picked = await pickInstance(list);
      node = picked.node;
      if (picked.first && list.total > 1) {
        this.messages.info(`Showing the first ${className} (@${node.id}), the one closest to a root; ${list.total - 1} more exist. Run "Show Retainers of a Class…" again to pick another.`);
      }
    }
    const title = `${className} @${node.id}`;
    return this.walkAndShow(snapshot, node.id, title, show);
  }

  // ── Files ──────────────────────────────────────────────────────────────────

  async openSnapshot(uri: vscode.Uri | undefined): Promise<ShowResult | undefined> {
    if (!(uri instanceof vscode.Uri)) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Heap snapshots': ['heapsnapshot'] }, title: 'Open Heap Snapshot' });
      if (!picked?.length) throw new UserCancelled();
      uri = picked[0];
    }
    const snapshot = await loadSnapshotFile(this.store, uri);
    return this.pickAndShow(snapshot);
  }

  releaseSnapshots(): void {
    const count = this.store.keys().length;
    this.store.releaseAll();
    this.messages.info(count ? `Released ${count} kept snapshot${count > 1 ? 's' : ''}.` : 'No snapshots were kept.');
  }

  // ── Shared steps ───────────────────────────────────────────────────────────

  /** Evaluate → snapshot (the object's id recorded first) → walk → panel. */
  private async showExpression(
    target: LiveTarget,
    expression: string,
    frame: { session: vscode.DebugSession; frame: 'selected' | number } | undefined,
    displayName = expression,
  ): Promise<ShowResult> {
    const pick = async (inspector: InspectorSession): Promise<RemoteObjectHandle[]> => {
      let callFrameId: string | undefined;
      const which = frame?.frame;
      if (frame && which === 'selected') callFrameId = await this.store.log.time('find the selected frame', () => selectedCallFrameId(frame.session, inspector));
      else if (frame && typeof which === 'number') callFrameId = (await inspector.pausedCallFrames())[which]?.callFrameId;
      return [await inspector.evaluate(expression, { callFrameId })];
    };
    const { snapshot, ids } = await captureSnapshot(this.store, target, pick);
    return this.walkAndShow(snapshot, ids[0], (walk) => `${targetName(walk)} ← ${shortTitle(displayName)}`);
  }

  private async walkAndShow(
    snapshot: KeptSnapshot,
    id: number,
    titleOf: string | ((walk: Walk) => string),
    show?: (walk: Walk, title: string) => void,
  ): Promise<ShowResult> {
    const options: WalkOptions = { depth: readConfig('depth'), fanOut: readConfig('fanOut'), includeWeak: false };
    let walk: Walk;
    try {
      walk = await this.store.log.time(`walk @${id}`, () => snapshot.engine.walk(id, options));
    } catch (error) {
      if (isUnknownObjectError(error)) throw new UserFacingError(`The object was collected before the snapshot (id @${id} is not in it), so nothing retains it any more.`);
      throw error;
    }
    const title = typeof titleOf === 'string' ? titleOf : titleOf(walk);
    if (show) show(walk, title);
    else this.panels.show(walk, title, snapshot);
    return { walk, title, snapshotKey: snapshot.key };
  }

  private inspectorTarget(choice: InspectorChoice): LiveTarget {
    const key = `inspector:${choice.webSocketUrl}`;
    return {
      key,
      label: choice.label,
      connect: async () => {
        const session = await InspectorSession.connect({ webSocketUrl: choice.webSocketUrl });
        if (!this.watchers.has(key) && /^wss?:\/\//.test(choice.webSocketUrl)) {
          this.watchers.set(
            key,
            watchInspectorTarget(choice.host, choice.port, choice.webSocketUrl, () => {
              this.watchers.delete(key);
              this.store.release(key);
              if (this.lastInspector?.webSocketUrl === choice.webSocketUrl) this.lastInspector = undefined;
              this.store.log.info(`${choice.label} ended; its snapshot was released`);
            }),
          );
        }
        return session;
      },
    };
  }

  private debugTarget(session: vscode.DebugSession): LiveTarget {
    return {
      key: `debug:${session.id}`,
      label: `debug session "${session.name}"`,
      connect: () => connectToDebugSession(session),
    };
  }

  private findDebugSession(sessionId: string): vscode.DebugSession {
    const candidates = [vscode.debug.activeDebugSession, ...this.debugSessions.values()].filter((s): s is vscode.DebugSession => s !== undefined);
    const session = candidates.find((candidate) => candidate.id === sessionId);
    if (!session) throw new UserFacingError('That debug session has ended; start debugging again and pause where the object is in scope.');
    const concrete = concreteSession(session, candidates);
    if (!concrete) throw new UserFacingError(`"${session.name}" has not started its Node.js process yet; try again once it is running.`);
    return concrete;
  }

  /**
   * The target of Expression/Class commands: the spec given, else the active
   * js-debug session, else the last attached process, else ask (Attach's pick).
   */
  private async resolveTarget(spec: TargetSpec | undefined, { ask = true } = {}): Promise<{ target: LiveTarget; session?: vscode.DebugSession }> {
    if (spec?.kind === 'debugSession') {
      const session = this.findDebugSession(spec.sessionId);
      return { target: this.debugTarget(session), session };
    }
    if (spec?.kind === 'inspector') {
      const choice = spec.webSocketUrl
        ? { webSocketUrl: spec.webSocketUrl, host: spec.host, port: spec.port, label: `${spec.host}:${spec.port}` }
        : await resolveAddress(`${spec.host}:${spec.port}`);
      return { target: this.inspectorTarget(choice) };
    }
    const active = vscode.debug.activeDebugSession;
    if (active && isJsDebugSession(active)) {
      const session = concreteSession(active, this.debugSessions.values());
      if (session) return { target: this.debugTarget(session), session };
    }
    if (this.lastInspector) return { target: this.inspectorTarget(this.lastInspector) };
    if (!ask) throw new NoTargetError();
    const choice = await pickInspectorTarget();
    if (!isLoopback(choice.host)) {
      const answer = await vscode.window.showWarningMessage(`Attach to ${choice.label}?`, { modal: true, detail: 'An inspector connection can run any code in that process.' }, 'Attach');
      if (answer !== 'Attach') throw new UserCancelled();
    }
    this.lastInspector = choice;
    return { target: this.inspectorTarget(choice) };
  }
}

class NoTargetError extends Error {}

function isPaused(session: vscode.DebugSession): boolean {
  const active = vscode.debug.activeStackItem;
  return active instanceof vscode.DebugStackFrame && active.session.id === session.id;
}

/** `ResourceLoader @60401`: what DevTools shows for the object. */
function targetName(walk: Walk): string {
  const node = walk.nodes.find((candidate) => candidate.id === walk.target);
  return `${node?.name ?? 'Object'} @${walk.target}`;
}

function shortTitle(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 32 ? `${oneLine.slice(0, 31)}…` : oneLine;
}
