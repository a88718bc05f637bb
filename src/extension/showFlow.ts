/**
 * From a question to a drawn graph: evaluate → snapshot → walk → show, or
 * class list → instance → walk → show. The commands and the custom editor
 * share it; where the graph is drawn is the caller's choice (the panel of the
 * snapshot's target by default).
 */
import * as vscode from 'vscode';
import type { InspectorSession, RemoteObjectHandle } from '../inspector';
import { UNKNOWN_OBJECT_ERROR } from '../protocol/engineApi';
import type { Walk } from '../protocol/walk';
import { walkOptionsFromConfig } from './config';
import type { ClassFlowResult, MergedPathsShown, ShowResult } from './contributions';
import { isRemoteError, ObjectCollectedError, UserCancelled, UserFacingError } from './errors';
import type { MessageLog } from './messages';
import { pickClass, pickInstance } from './pickers';
import { captureSnapshot, type LiveTarget } from './snapshots/capture';
import type { KeptSnapshot, SnapshotStore } from './snapshots/snapshotStore';
import { selectedCallFrameId } from './targets/debugSessions';
import type { PendingGraph } from './views/panelManager';

/** How many instances the class flow lists. */
const INSTANCE_LIMIT = 200;

/** Where a walk is drawn: a panel per target (PanelManager) or one given view (the custom editor). */
export interface WalkDestination {
  show(walk: Walk, title: string, snapshot: KeptSnapshot): void;
}

/** The graph panels: a new one per walk, which may open before its walk exists (PanelManager). */
export interface GraphPanels extends WalkDestination {
  open(title: string, waiting: string): PendingGraph;
}

/** Which paused frame an expression is evaluated in: the one selected in the Call Stack view, or the n-th. */
export interface FrameChoice {
  session: vscode.DebugSession;
  frame: 'selected' | number;
}

/** Where the merged paths of all instances of a class are shown (the Growth view). */
export interface MergedPathsDestination {
  showMergedPaths(snapshot: KeptSnapshot, className: string): MergedPathsShown;
}

/** Which instance of which class (or all of them): asked with quick picks when not given. */
export interface ClassChoice {
  className?: string;
  nth?: number;
  allInstances?: boolean;
}

export class ShowFlow {
  constructor(
    private readonly store: SnapshotStore,
    private readonly panels: GraphPanels,
    private readonly messages: MessageLog,
    private readonly mergedPaths: MergedPathsDestination,
  ) {}

  /** Evaluate → snapshot (the object's id recorded first) → walk → panel. */
  async expression(target: LiveTarget, expression: string, frame: FrameChoice | undefined, displayName = expression): Promise<ShowResult> {
    let panel: PendingGraph | undefined;
    const pick = async (inspector: InspectorSession): Promise<RemoteObjectHandle[]> => {
      const callFrameId = frame && (await this.callFrameId(frame, inspector));
      const handles = [await inspector.evaluate(expression, { callFrameId })];
      // The expression is good: its panel loads while V8 writes the snapshot.
      panel = this.panels.open(shortTitle(displayName), `Taking a heap snapshot of ${target.label}…`);
      return handles;
    };
    try {
      const { snapshot, ids } = await captureSnapshot(this.store, target, pick);
      return await this.walkAndShow(snapshot, ids[0], (walk) => `${targetName(walk)} ← ${shortTitle(displayName)}`, panel);
    } catch (error) {
      panel?.close();
      throw error;
    }
  }

  /**
   * The classes of a live target: its kept snapshot (asking whether to reuse
   * it, unless told) or a new one, then the class flow.
   */
  async classesOf(target: LiveTarget, choice: ClassChoice & { fresh?: boolean }): Promise<ClassFlowResult> {
    let snapshot = this.store.get(target.key);
    if (snapshot && choice.fresh === undefined && choice.className === undefined) {
      const reuse = `Use the snapshot taken at ${snapshot.takenAt.toLocaleTimeString()}`;
      // Kept open when focus moves, like the class and instance lists that follow it.
      const answer = await vscode.window.showQuickPick([reuse, 'Take a new snapshot'], { title: `Classes of ${target.label}`, ignoreFocusOut: true });
      if (!answer) throw new UserCancelled();
      if (answer !== reuse) snapshot = undefined;
    } else if (choice.fresh) {
      snapshot = undefined;
    }
    snapshot ??= (await captureSnapshot(this.store, target)).snapshot;
    return this.pickAndShow(snapshot, choice);
  }

  /** The class list → instance → retainer graph flow on a loaded snapshot (or → all instances' merged paths). */
  async pickAndShow(snapshot: KeptSnapshot, choice: ClassChoice = {}, destination: WalkDestination = this.panels): Promise<ClassFlowResult> {
    const { engine } = snapshot;
    const classes = await engine.classes();
    // Retained sizes are computed in the background; the lists show them as soon as they come.
    const sized = classes.some((summary) => summary.retainedSize !== undefined) ? undefined : engine.computeRetainedSizes();
    sized?.catch(() => undefined); // sizes are a bonus; a picker that waits for them handles a failure itself
    const className = choice.className ?? (await pickClass(classes, `Classes in ${snapshot.label} (${classes.length.toLocaleString('en-US')})`, sized?.then(() => engine.classes()))).name;
    if (!classes.some((summary) => summary.name === className)) throw new UserFacingError(`The snapshot has no objects of class ${className}.`);
    if (choice.allInstances) return this.mergedPaths.showMergedPaths(snapshot, className);
    const list = await engine.instances(className, INSTANCE_LIMIT);
    let node;
    if (choice.nth !== undefined) {
      node = list.nodes[choice.nth];
      if (!node) throw new UserFacingError(`${className} has ${list.total} instances; there is no instance number ${choice.nth}.`);
    } else {
      const unsized = list.nodes.some((n) => n.retainedSize === null);
      const picked = await pickInstance(list, unsized ? (sized ?? engine.computeRetainedSizes()).then(() => engine.instances(className, INSTANCE_LIMIT)) : undefined);
      if (picked.kind === 'all') return this.mergedPaths.showMergedPaths(snapshot, className);
      node = picked.node;
      if (picked.first && list.total > 1) {
        this.messages.info(`Showing the first ${className} (@${node.id}), the one closest to a root; ${list.total - 1} more exist. Run "Show Retainers of a Class…" again to pick another.`);
      }
    }
    return this.walkAndShow(snapshot, node.id, `${className} @${node.id}`, destination);
  }

  /** The retainer graph of one object of `snapshot`, in its target's panel (an example object of a merged path). */
  async object(snapshot: KeptSnapshot, id: number): Promise<ShowResult> {
    return this.walkAndShow(snapshot, id, (walk) => targetName(walk));
  }

  private async walkAndShow(snapshot: KeptSnapshot, id: number, titleOf: string | ((walk: Walk) => string), destination: WalkDestination = this.panels): Promise<ShowResult> {
    let walk: Walk;
    try {
      walk = await this.store.log.time(`walk @${id}`, () => snapshot.engine.walk(id, walkOptionsFromConfig()));
    } catch (error) {
      if (isRemoteError(error, UNKNOWN_OBJECT_ERROR)) throw new ObjectCollectedError(id);
      throw error;
    }
    const title = typeof titleOf === 'string' ? titleOf : titleOf(walk);
    destination.show(walk, title, snapshot);
    return { walk, title, snapshotKey: snapshot.key };
  }

  private async callFrameId(frame: FrameChoice, inspector: InspectorSession): Promise<string | undefined> {
    if (frame.frame === 'selected') return this.store.log.time('find the selected frame', () => selectedCallFrameId(frame.session, inspector));
    return (await inspector.pausedCallFrames())[frame.frame]?.callFrameId;
  }
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
