/**
 * One connection to a Node.js inspector (plain `--inspect`, or VS Code
 * js-debug's CDP proxy), owning one chrome-remote-interface client.
 *
 * Capture follows the sequence described in docs/inspector.md:
 * evaluate into a private object group → startTrackingHeapObjects (so V8
 * assigns snapshot ids and tracks moves) → getHeapObjectId per handle →
 * releaseObjectGroup (our handle must not retain the object) →
 * stopTrackingHeapObjects({reportProgress}), which streams the snapshot as
 * addHeapSnapshotChunk events and stops tracking in the same step. On a plain
 * attach to Node ≤ 20 the line-end tables big scripts need (lineEndTables.ts)
 * are built right behind startTrackingHeapObjects, with or without handles.
 *
 * While allocation tracking runs (startAllocationTracking), captures leave
 * tracking alone: takeHeapSnapshot, and the ids of handles read as V8
 * assigns them; `stopAllocationTracking` on the last capture ends it.
 *
 * The live instruments (heap usage, instance counts, "is it still alive?")
 * are in liveHeap.ts.
 *
 * Leaving the target as found: we never add globals (Runtime.evaluate in an
 * object group, nothing wrapped in `var`), leave no Debugger state behind on a
 * plain attach (the line-end step never pauses and ends disabled), and never
 * call any `*.disable` through js-debug's proxy (HeapProfiler.disable there
 * would clear the debugger's object ids).
 */
import CDP from 'chrome-remote-interface';
import type { Protocol } from 'devtools-protocol';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import { acquireCaptureLock, isCaptureInProgress } from './captureLock';
import {
  CancelledError,
  ConnectionError,
  ExpressionError,
  InspectorError,
  PrimitiveValueError,
  SnapshotInProgressError,
  TargetExitedError,
} from './errors';
import type { HeapUsage, LivenessCheck } from '../protocol/liveHeap';
import { checkLiveness, countInstances, readHeapUsage, type ClassRef, type Send } from './liveHeap';
import { BUILD_LINE_END_TABLES, snapshotNeedsLineEndTables } from './lineEndTables';
import { connectionFailure, formatHostPort, inspectorBrowser, listTargets, type HostPort } from './targets';

export type InspectorEndpoint = HostPort | { webSocketUrl: string; viaJsDebugProxy?: boolean };

/** A remote object kept alive in our private object group until the next capture releases it. */
export interface RemoteObjectHandle {
  objectId: string;
  type: string;
  subtype?: string;
  /** Constructor name as V8 reports it (`Processor`, `Map`). */
  className?: string;
  /** V8's one-line description (`Processor`, `Map(5)`). */
  description?: string;
}

export interface SnapshotProgress {
  done: number;
  total: number;
}

export interface CaptureOptions {
  /** Each `addHeapSnapshotChunk` as it arrives, in order: feed a streaming parser. */
  onChunk?: (chunk: string) => void;
  /** V8's `reportHeapSnapshotProgress` (objects counted so far / total). */
  onProgress?: (progress: SnapshotProgress) => void;
  signal?: AbortSignal;
  /** While allocation tracking runs: end it with this snapshot (the one way V8 stops it without closing the session). */
  stopAllocationTracking?: boolean;
  /** How onSnapshot listeners name it (`snapshot 2`). */
  label?: string;
  /**
   * Resolves once the consumer has read the snapshot to its end. V8 replies
   * to the request only after freeing its own copy of the snapshot (seconds
   * on a GB heap): the capture returns at the first of the two, and the next
   * capture on this connection waits for V8's reply.
   */
  complete?: Promise<void>;
}

/** A paused frame as the proxy replays it (js-debug only). */
export interface PausedCallFrame {
  callFrameId: string;
  functionName: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
}

type CdpEvent = { method: string; params?: unknown };
/** The proxy's own `JsDebug` domain is not in the typed protocol. */
type UntypedSend = (method: string, params?: object) => Promise<unknown>;

let groupCounter = 0;
/** How long an allocation-tracking capture waits for V8 to give a handle's object an id (its tracking timer assigns them every 50 ms). */
const NEW_OBJECT_ID_WAIT_MS = 2000;

/** What the users of one connection share (a session and the shares of it). */
interface Connection {
  /** The sessions open on it: each sees every event, and hears when the connection is lost. */
  readonly users: Set<InspectorSession>;
  /** Settles when V8 answers a snapshot request whose capture did not wait for it (abandoned, or read to its end first): the next capture waits for it, or its chunks would mix in. */
  unanswered: Promise<unknown> | undefined;
  /** Is V8 recording allocation stacks on it (startAllocationTracking)? V8's HeapProfiler state belongs to the connection, not to one share. */
  allocationTracking: boolean;
  /** Told when any user of the connection asks V8 for a snapshot (the memory chart marks it). */
  readonly snapshotListeners: Set<(label: string) => void>;
}

export class InspectorSession {
  private readonly objectGroup = `retainer-graph-${process.pid}-${++groupCounter}`;
  private readonly disconnectListeners = new Set<() => void>();
  private eventSink: ((event: CdpEvent) => void) | undefined;
  private closing = false;
  private disconnected = false;
  private readonly connection: Connection;
  private probes = 0;
  /** A collectGarbage not answered yet (the program is paused): later checks wait for it instead of asking again. */
  private pendingGc: Promise<void> | null = null;
  /** The global object's snapshot id when ids were last known good (see liveHeap.ts). */
  private idSentinel: number | null = null;

  private constructor(
    private readonly client: CDP.Client,
    /** WebSocket URL: identifies the target for the capture lock. */
    readonly webSocketUrl: string,
    /** How messages name this target: `127.0.0.1:9229`. */
    readonly label: string,
    readonly viaJsDebugProxy: boolean,
    /** V8 would scan scripts without line-end tables during the snapshot (Node ≤ 20, plain attach). */
    private readonly needsLineEndTables: boolean,
    sharing?: Connection,
    /** A share of another session's connection (share()): closing it leaves the connection open. */
    private readonly shared = false,
  ) {
    this.connection = sharing ?? InspectorSession.listen(client);
    this.connection.users.add(this);
  }

  private static listen(client: CDP.Client): Connection {
    const connection: Connection = { users: new Set(), unanswered: undefined, allocationTracking: false, snapshotListeners: new Set() };
    client.on('event', (message: CdpEvent) => {
      for (const user of connection.users) user.eventSink?.(message);
    });
    client.on('disconnect', () => {
      for (const user of [...connection.users]) user.connectionLost();
    });
    return connection;
  }

  private connectionLost(): void {
    this.disconnected = true;
    if (this.closing) return;
    for (const listener of [...this.disconnectListeners]) listener();
  }

  /**
   * Another user of this open connection: its own object group, events and
   * disconnect listeners, but closing it leaves the connection open. Closing
   * an inspector session clears V8's heap ids for the whole process, so while
   * one session must keep them (a growth recording), other commands on that
   * process use a share of it instead of a session of their own.
   */
  share(): InspectorSession {
    if (this.closed) throw new TargetExitedError(`the connection to ${this.label} is closed`);
    return new InspectorSession(this.client, this.webSocketUrl, this.label, this.viaJsDebugProxy, this.needsLineEndTables, this.connection, true);
  }

  /** Plain attach picks the first target on host:port; a WebSocket URL connects straight to it. */
  static async connect(endpoint: InspectorEndpoint, { timeoutMs = 5000 }: { timeoutMs?: number } = {}): Promise<InspectorSession> {
    let webSocketUrl: string;
    let label: string;
    if ('webSocketUrl' in endpoint) {
      webSocketUrl = endpoint.webSocketUrl;
      label = safeHost(webSocketUrl);
    } else {
      label = formatHostPort(endpoint);
      const targets = await listTargets(endpoint.host, endpoint.port, { timeoutMs });
      if (targets.length === 0) throw new ConnectionError(`${label} has no inspectable target (is the process still starting?)`);
      webSocketUrl = targets[0].webSocketDebuggerUrl;
    }
    const viaProxy = 'webSocketUrl' in endpoint && endpoint.viaJsDebugProxy === true;
    // Asked alongside the connection; never fails (undefined when the inspector does not say).
    const browser = viaProxy ? Promise.resolve(undefined) : inspectorBrowser(httpHost(endpoint, webSocketUrl), { timeoutMs });
    const connecting = CDP({ target: webSocketUrl, local: true });
    const client = await withTimeout(connecting, timeoutMs, () => {
      connecting.then((late) => late.close(), () => undefined); // don't leak a connection that opens after we gave up
      return new ConnectionError(`${label} did not accept an inspector connection within ${Math.round(timeoutMs / 1000)} s`);
    }).catch((error: unknown) => {
      throw error instanceof ConnectionError ? error : wsFailure(error, label, timeoutMs);
    });
    const session = new InspectorSession(client, webSocketUrl, label, viaProxy, !viaProxy && snapshotNeedsLineEndTables(await browser));
    if (viaProxy) {
      // The proxy forwards no events until asked; without this, snapshots resolve with zero chunks.
      const subscribe = session.send('JsDebug.subscribe', { events: ['HeapProfiler.*', 'Debugger.paused', 'Debugger.resumed'] });
      await withTimeout(subscribe, timeoutMs, () => new ConnectionError(`${label} did not answer JsDebug.subscribe; is it js-debug's CDP proxy?`)).catch(async (error: unknown) => {
        await session.close();
        throw error;
      });
    }
    return session;
  }

  get closed(): boolean {
    return this.closing || this.disconnected;
  }

  /** How many other users (shares, or the session shared) the connection has now. */
  get sharedBy(): number {
    return this.connection.users.size - 1;
  }

  /** Called when any user of this connection (a share, or the session shared) asks V8 for a heap snapshot. Returns an unsubscribe function. */
  onSnapshot(listener: (label: string) => void): () => void {
    this.connection.snapshotListeners.add(listener);
    return () => this.connection.snapshotListeners.delete(listener);
  }

  /** Called once when the target goes away (not when we close it ourselves). Returns an unsubscribe function. */
  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /**
   * Evaluates in the global scope, or in a paused frame when `callFrameId` is
   * given (Debugger.evaluateOnCallFrame; the id comes from this session's
   * Debugger.paused, see pausedCallFrames()). The result stays in our object
   * group until the next captureSnapshot releases it.
   */
  async evaluate(expression: string, { callFrameId }: { callFrameId?: string } = {}): Promise<RemoteObjectHandle> {
    const common = { expression, objectGroup: this.objectGroup, silent: true, returnByValue: false, generatePreview: false };
    const response: Protocol.Runtime.EvaluateResponse = callFrameId
      ? await this.send('Debugger.evaluateOnCallFrame', { ...common, callFrameId })
      : await this.send('Runtime.evaluate', { ...common, includeCommandLineAPI: false });
    if (response.exceptionDetails) throw new ExpressionError(exceptionText(response.exceptionDetails));
    const result = response.result;
    if ((result.type !== 'object' && result.type !== 'function') || result.subtype === 'null' || !result.objectId) {
      throw new PrimitiveValueError(result.subtype === 'null' ? 'null' : result.type, primitiveText(result));
    }
    return { objectId: result.objectId, type: result.type, subtype: result.subtype, className: result.className, description: result.description };
  }

  /**
   * js-debug proxy only: the frames of the current pause (Debugger.enable
   * replays Debugger.paused), or [] when running. Not offered on a plain
   * attach: enabling our own Debugger there would make `debugger;` statements
   * pause the process for us.
   */
  async pausedCallFrames({ timeoutMs = 1000 }: { timeoutMs?: number } = {}): Promise<PausedCallFrame[]> {
    if (!this.viaJsDebugProxy) throw new Error('paused call frames are only available through the js-debug proxy');
    return new Promise<PausedCallFrame[]>((resolve, reject) => {
      const timer = setTimeout(() => finish([]), timeoutMs);
      const previous = this.eventSink;
      const finish = (frames: PausedCallFrame[]) => {
        clearTimeout(timer);
        this.eventSink = previous;
        resolve(frames);
      };
      this.eventSink = (event) => {
        previous?.(event);
        if (event.method !== 'Debugger.paused') return;
        const params = event.params as Protocol.Debugger.PausedEvent;
        finish(params.callFrames.map((frame) => ({ callFrameId: frame.callFrameId, functionName: frame.functionName, url: frame.url, lineNumber: frame.location.lineNumber })));
      };
      this.send('Debugger.enable', {}).catch((error: unknown) => {
        clearTimeout(timer);
        this.eventSink = previous;
        reject(error);
      });
    });
  }

  /**
   * Takes one heap snapshot and returns the snapshot object ids of `handles`
   * (in order). Releases our object group, so the handles are spent. With no
   * handles it is a plain takeHeapSnapshot.
   *
   * Cancel (signal) at any moment rejects with CancelledError after cleaning
   * up the target and closes this session: on a plain attach closing makes V8
   * disable our HeapProfiler agent (tracking stops) and discard our objects;
   * through the proxy tracking is stopped explicitly. A disconnect rejects
   * with TargetExitedError; chunks already delivered must be discarded.
   */
  async captureSnapshot(handles: readonly RemoteObjectHandle[], options: CaptureOptions = {}): Promise<number[]> {
    const { onChunk, onProgress, signal } = options;
    if (this.closed) throw new TargetExitedError(`the connection to ${this.label} is closed`);
    if (signal?.aborted) throw new CancelledError();
    const release = acquireCaptureLock(this.webSocketUrl, this.label);
    const state = { trackingStarted: false, snapshotRequested: false, groupReleased: false };
    try {
      await this.guard(this.connection.unanswered ?? Promise.resolve(), signal);
    } catch (error) {
      release();
      throw error;
    }
    this.eventSink = (event) => {
      if (event.method === 'HeapProfiler.addHeapSnapshotChunk') onChunk?.((event.params as Protocol.HeapProfiler.AddHeapSnapshotChunkEvent).chunk);
      else if (event.method === 'HeapProfiler.reportHeapSnapshotProgress') {
        const { done, total } = event.params as Protocol.HeapProfiler.ReportHeapSnapshotProgressEvent;
        onProgress?.({ done, total });
      }
    };
    const step = <T>(work: Promise<T>) => this.guard(work, signal);
    // Tracking also shields the line-end step, which must follow it closely (lineEndTables.ts).
    // While allocation tracking runs it already assigns ids, and stopping it is not ours to do here.
    const allocations = this.connection.allocationTracking;
    const tracking = !allocations && (handles.length > 0 || this.needsLineEndTables);
    try {
      const ids: number[] = [];
      if (allocations) {
        for (const handle of handles) ids.push(await step(this.newObjectId(handle)));
      } else if (tracking) {
        // Counted as started once sent: a cancel racing the reply must still stop it.
        state.trackingStarted = true;
        const started = this.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false });
        const tables = this.needsLineEndTables ? this.buildLineEndTables() : undefined;
        await step(Promise.all([started, tables]));
        for (const handle of handles) {
          const { heapSnapshotObjectId } = await step(this.send('HeapProfiler.getHeapObjectId', { objectId: handle.objectId }));
          ids.push(Number(heapSnapshotObjectId));
        }
      }
      await step(this.send('Runtime.releaseObjectGroup', { objectGroup: this.objectGroup }));
      state.groupReleased = true;
      state.snapshotRequested = true;
      for (const listener of [...this.connection.snapshotListeners]) listener(options.label ?? 'snapshot');
      const stopsTracking = tracking || (allocations && options.stopAllocationTracking === true);
      const snapshot = stopsTracking ? this.send('HeapProfiler.stopTrackingHeapObjects', { reportProgress: true }) : this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true });
      try {
        const replied = snapshot.then(() => true);
        const readToEnd = options.complete?.then(() => false);
        if (!(await step(readToEnd ? Promise.race([replied, readToEnd]) : replied))) this.finishInBackground(snapshot);
        // Once requested, the stop is V8's to finish: closing must not ask for it again.
        if (allocations && stopsTracking) this.connection.allocationTracking = false;
      } catch (error) {
        this.finishInBackground(snapshot);
        throw error;
      }
      return ids;
    } catch (error) {
      if (error instanceof CancelledError) await this.cleanUpAfterCancel(state);
      throw error;
    } finally {
      this.eventSink = undefined;
      release();
    }
  }

  /** V8 goes on with a snapshot request unless the connection closes: whoever captures next on it waits for V8's reply. */
  private finishInBackground(snapshot: Promise<unknown>): void {
    const settled = snapshot.catch(() => undefined);
    this.connection.unanswered = settled;
    void settled.then(() => {
      if (this.connection.unanswered === settled) this.connection.unanswered = undefined;
    });
  }

  /** Is V8 recording allocation stacks for this session (startAllocationTracking)? */
  get trackingAllocations(): boolean {
    return this.connection.allocationTracking;
  }

  /**
   * From now on V8 records the stack of every allocation (and assigns
   * snapshot ids as objects are allocated); snapshots then carry allocation
   * stacks. It slows every allocation down (docs/benchmarks.md): stop it when
   * done, with the last capture (`stopAllocationTracking`), with
   * stopAllocationTracking(), or by closing a plain attach.
   */
  async startAllocationTracking(): Promise<void> {
    if (this.connection.allocationTracking) return;
    if (this.closed) throw new TargetExitedError(`the connection to ${this.label} is closed`);
    const release = acquireCaptureLock(this.webSocketUrl, this.label);
    try {
      const started = this.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
      // Later captures cannot start tracking to shield the step, so it runs now, behind this start (lineEndTables.ts).
      const tables = this.needsLineEndTables ? this.buildLineEndTables() : undefined;
      await Promise.all([started, tables]);
      this.connection.allocationTracking = true;
    } finally {
      release();
    }
  }

  /**
   * Ends allocation tracking. V8 stops it only together with a snapshot,
   * taken here and discarded: prefer `captureSnapshot(…, {
   * stopAllocationTracking: true })` for the last snapshot of a recording.
   */
  async stopAllocationTracking(): Promise<void> {
    if (!this.connection.allocationTracking || this.closed) return;
    const release = acquireCaptureLock(this.webSocketUrl, this.label);
    try {
      await this.send('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
      this.connection.allocationTracking = false;
    } finally {
      release();
    }
  }

  /** `Runtime.getHeapUsage`: used and total bytes of the V8 heap. Evaluates nothing in the target, answers while it is paused, costs next to nothing. */
  heapUsage(): Promise<HeapUsage> {
    return readHeapUsage(this.typedSend);
  }

  /**
   * How many live objects have the class's prototype in their chain
   * (`Runtime.queryObjects`, counted in the target, every handle released
   * before this returns). V8 collects garbage and walks the heap for it:
   * poll every few seconds at most. Refused while a snapshot of the target runs.
   */
  async countInstances(of: ClassRef): Promise<number> {
    await this.afterSnapshotReply();
    return countInstances(this.typedSend, this.probeGroup(), of);
  }

  /**
   * Whether each snapshot id still names a live object: a full GC
   * (`HeapProfiler.collectGarbage`, waited for at most `gcTimeoutMs`: it does
   * not run while the program is paused), then one lookup per id in a
   * throwaway object group. Ids are valid only while the inspector session that
   * assigned them stays open: ObjectIdsLostError when the process holds none,
   * or renumbered them since the previous check. Each lookup walks the heap.
   */
  async checkAlive(ids: readonly number[], { gcTimeoutMs = 2000 }: { gcTimeoutMs?: number } = {}): Promise<LivenessCheck> {
    await this.afterSnapshotReply();
    const { check, sentinel } = await checkLiveness(this.typedSend, this.probeGroup(), ids, { gc: this.collectGarbage(gcTimeoutMs), sentinel: this.idSentinel });
    this.idSentinel = sentinel;
    return check;
  }

  /** Closes the connection (a share only lets go of it). Through the proxy this leaves the debugger's session untouched. */
  async close(): Promise<void> {
    if (this.closing) return;
    if (this.viaJsDebugProxy && !this.shared && this.connection.allocationTracking && !this.disconnected) {
      // Closing our socket closes nothing in V8 here: tracking would go on slowing the debuggee.
      await withTimeout(this.stopAllocationTracking(), 60_000, () => new Error('timeout')).catch(() => undefined);
    }
    this.closing = true;
    this.eventSink = undefined;
    this.disconnectListeners.clear();
    if (this.disconnected || this.shared) {
      this.connection.users.delete(this);
      return;
    }
    await this.client.close().catch(() => undefined);
    this.connection.users.delete(this);
    // The client announces no disconnect it was asked for: tell the shares still open.
    for (const user of [...this.connection.users]) user.connectionLost();
  }

  /**
   * A handle's snapshot id while allocation tracking runs. V8 gives objects
   * allocated since its last heap stats update id 0 until the next one (every
   * 50 ms while tracking), so a 0 is asked again for a while.
   */
  private async newObjectId(handle: RemoteObjectHandle): Promise<number> {
    const started = Date.now();
    for (;;) {
      const { heapSnapshotObjectId } = await this.send('HeapProfiler.getHeapObjectId', { objectId: handle.objectId });
      const id = Number(heapSnapshotObjectId);
      if (id !== 0 || Date.now() - started > NEW_OBJECT_ID_WAIT_MS) return id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves true once a full GC ran, false if it has not after `timeoutMs` (it stays pending for the next check). */
  private collectGarbage(timeoutMs: number): Promise<boolean> {
    if (!this.pendingGc) {
      const gc: Promise<void> = this.send('HeapProfiler.collectGarbage', undefined).then(
        () => undefined,
        () => undefined,
      );
      this.pendingGc = gc;
      void gc.then(() => {
        if (this.pendingGc === gc) this.pendingGc = null;
      });
    }
    const pending = this.pendingGc;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void pending.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Refuses while a capture runs; after one that returned before V8's reply
   * (or was abandoned), waits for that reply: V8 runs nothing else until then,
   * and a GC asked for meanwhile would time out.
   */
  private async afterSnapshotReply(): Promise<void> {
    this.refuseDuringCapture();
    if (!this.connection.unanswered) return;
    await this.connection.unanswered;
    this.refuseDuringCapture();
  }

  private refuseDuringCapture(): void {
    if (this.closed) throw new TargetExitedError(`the connection to ${this.label} is closed`);
    if (isCaptureInProgress(this.webSocketUrl)) throw new SnapshotInProgressError(this.label);
  }

  /** A fresh object group per probe, so two probes never release each other's handles. */
  private probeGroup(): string {
    return `${this.objectGroup}-probe-${++this.probes}`;
  }

  /** send() as liveHeap.ts takes it. */
  private readonly typedSend: Send = (method, params) => this.send(method, params);

  /**
   * Sends the steps at once (see lineEndTables.ts for why each one and the
   * order). A step V8 refuses costs speed, not correctness: the snapshot
   * still runs, and closing the session disables whatever stayed enabled.
   */
  private async buildLineEndTables(): Promise<void> {
    const replies = BUILD_LINE_END_TABLES.map(([method, params]) => this.send(method, params));
    const failed = (await Promise.allSettled(replies)).find((reply) => reply.status === 'rejected');
    if (failed && !(failed.reason instanceof InspectorError)) throw failed.reason;
  }

  private async cleanUpAfterCancel(state: { trackingStarted: boolean; snapshotRequested: boolean; groupReleased: boolean }): Promise<void> {
    this.eventSink = undefined;
    if (this.disconnected) return;
    if (this.viaJsDebugProxy || this.shared) {
      // No *.disable here: the debugger (or the session this shares) uses this V8 session.
      // Stopping tracking costs one discarded snapshot, the only other way V8 offers.
      const quick = (method: string, params: object) => withTimeout(this.send(method, params), 30_000, () => new Error('timeout')).catch(() => undefined);
      if (!state.groupReleased) await quick('Runtime.releaseObjectGroup', { objectGroup: this.objectGroup });
      if (state.trackingStarted && !state.snapshotRequested) await quick('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
    }
    // On a plain attach, closing is the cleanup: V8 disables our session's
    // HeapProfiler (tracking stops) and discards our object groups, even when
    // it is busy in a snapshot right now. A share cannot close the connection:
    // V8 finishes that snapshot, and the next capture waits for it.
    await this.close();
  }

  /** Races a protocol step against cancel and disconnect. */
  private guard<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => finish(() => reject(new CancelledError()));
      const offDisconnect = this.onDisconnect(() => finish(() => reject(new TargetExitedError())));
      const finish = (settle: () => void) => {
        signal?.removeEventListener('abort', onAbort);
        offDisconnect();
        settle();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(this.disconnected ? new TargetExitedError() : error)),
      );
    });
  }

  /** Sends one CDP command; failures become InspectorError naming the method. */
  private send<M extends keyof ProtocolMapping.Commands>(
    method: M,
    params: ProtocolMapping.Commands[M]['paramsType'][0],
  ): Promise<ProtocolMapping.Commands[M]['returnType']>;
  private send(method: string, params: object): Promise<unknown>;
  private async send(method: string, params: object): Promise<unknown> {
    if (this.disconnected) throw new TargetExitedError(`the connection to ${this.label} is closed`);
    try {
      return await (this.client.send as unknown as UntypedSend)(method, params);
    } catch (error) {
      const text = protocolErrorText(error);
      // A target that exits can leave the socket closing before its disconnect event (the
      // WebSocket library's refusal to send then says so): gone all the same.
      if (this.disconnected || /WebSocket is not open/.test(text)) throw new TargetExitedError();
      throw new InspectorError(method, text);
    }
  }
}

function exceptionText(details: Protocol.Runtime.ExceptionDetails): string {
  // `description` carries "TypeError: x is not a function\n    at …"; the first line is what users need.
  const description = details.exception?.description;
  if (description) return description.split('\n')[0];
  if (details.exception?.value !== undefined) return `Uncaught ${String(details.exception.value)}`;
  return details.text;
}

function primitiveText(result: Protocol.Runtime.RemoteObject): string {
  if (result.subtype === 'null') return 'null';
  if (result.type === 'undefined') return 'undefined';
  if (result.unserializableValue) return result.unserializableValue;
  if (result.type === 'string') return JSON.stringify(String(result.value)).slice(0, 80);
  return result.description ?? String(result.value);
}

function protocolErrorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'response' in error) {
    const response = (error as { response?: { message?: unknown } }).response;
    if (response && typeof response.message === 'string') return response.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function wsFailure(error: unknown, label: string, timeoutMs: number): ConnectionError {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected server response: 426|Upgrade Required/i.test(message)) return new ConnectionError(`${label} refused the connection ("Upgrade Required"); connect with local protocol to js-debug's proxy`);
  if (/Unexpected server response/i.test(message)) return new ConnectionError(`${label} is not a Node.js inspector (${message})`);
  return connectionFailure(error, label, timeoutMs);
}

/** Where the inspector serves HTTP: the same host:port as its WebSocket. */
function httpHost(endpoint: InspectorEndpoint, webSocketUrl: string): string {
  return 'webSocketUrl' in endpoint ? safeHost(webSocketUrl) : formatHostPort(endpoint);
}

function safeHost(webSocketUrl: string): string {
  try {
    return new URL(webSocketUrl).host;
  } catch {
    return webSocketUrl;
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
