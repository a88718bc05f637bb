/**
 * The debug sessions VS Code has started and not yet ended (js-debug's
 * DebugSessionTracker): js-debug's launcher sessions and their concrete
 * children, which are the processes we can snapshot.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { UserFacingError } from '../errors';
import { concreteSession, isJsDebugSession } from './debugSessions';

const RESUMING_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue']);

export class DebugSessionTracker extends Disposable {
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly ended = this._register(new vscode.EventEmitter<vscode.DebugSession>());
  /** A session ended: its process, and anything taken of it, is gone. */
  readonly onDidEndSession = this.ended.event;
  private readonly pausedEmitter = this._register(new vscode.EventEmitter<{ sessionId: string; paused: boolean }>());
  /** The debug adapter said the program stopped (a breakpoint, a step, Pause) or continued: only the adapter knows. */
  readonly onDidChangePaused = this.pausedEmitter.event;

  constructor() {
    super();
    this._register(vscode.debug.onDidStartDebugSession((session) => this.sessions.set(session.id, session)));
    this._register(
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.sessions.delete(session.id);
        this.ended.fire(session);
      }),
    );
    this._register(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          // DAP adapters need not announce a resume the client asked for: the request says it.
          onWillReceiveMessage: (message: { type?: string; command?: string }) => {
            if (message.type === 'request' && message.command && RESUMING_REQUESTS.has(message.command)) this.pausedEmitter.fire({ sessionId: session.id, paused: false });
          },
          onDidSendMessage: (message: { type?: string; event?: string }) => {
            if (message.type !== 'event') return;
            if (message.event === 'stopped') this.pausedEmitter.fire({ sessionId: session.id, paused: true });
            else if (message.event === 'continued') this.pausedEmitter.fire({ sessionId: session.id, paused: false });
          },
        }),
      }),
    );
  }

  /** The process behind `sessionId` (the session itself or its concrete child); says why when there is none. */
  find(sessionId: string): vscode.DebugSession {
    const candidates = [vscode.debug.activeDebugSession, ...this.sessions.values()].filter((s): s is vscode.DebugSession => s !== undefined);
    const session = candidates.find((candidate) => candidate.id === sessionId);
    if (!session) throw new UserFacingError('That debug session has ended; start debugging again and pause where the object is in scope.');
    const concrete = concreteSession(session, candidates);
    if (!concrete) throw new UserFacingError(`"${session.name}" has not started its Node.js process yet; try again once it is running.`);
    return concrete;
  }

  /** The process behind the active debug session, when it is a JavaScript one that has started. */
  active(): vscode.DebugSession | undefined {
    const active = vscode.debug.activeDebugSession;
    if (!active || !isJsDebugSession(active)) return undefined;
    return concreteSession(active, this.sessions.values());
  }
}

/** Is `session` paused with a frame selected (expressions then see its scope)? */
export function isPaused(session: vscode.DebugSession): boolean {
  const active = vscode.debug.activeStackItem;
  return active instanceof vscode.DebugStackFrame && active.session.id === session.id;
}
