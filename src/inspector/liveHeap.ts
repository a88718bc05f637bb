/**
 * Live instruments over an inspector session, each verified against Node 20
 * and 24 (test/inspector/liveHeap.test.ts). InspectorSession offers them as
 * methods; the protocol steps live here.
 *
 * Leaving the target as found: every handle we need goes into a throwaway
 * object group released before the method returns (in every outcome), so no
 * object stays alive because of us; nothing is assigned to a global.
 *
 * What V8 does, as checked on both versions:
 * - `Runtime.getHeapUsage` answers at once, evaluates nothing, and answers
 *   while the program is paused.
 * - `HeapProfiler.getObjectByHeapObjectId` finds only objects still reachable
 *   from a root (V8 filters the heap for reachability as it looks): an object
 *   dropped a moment ago reads as gone before any GC ran. An object held only
 *   weakly (a WeakRef target) reads as alive until a GC clears it.
 * - `HeapProfiler.collectGarbage` runs from V8's task queue: it answers only
 *   once the program runs, never while it is paused in a debugger.
 * - With no snapshot ids in the process (fresh, or the session that assigned
 *   them closed), every lookup says "Object is not available", the same as
 *   for a collected object, so ids are checked first (`idSentinel`).
 * - `Runtime.queryObjects` collects garbage, walks the heap and returns every
 *   object with the prototype in its chain: subclass instances, and the
 *   subclasses' prototype objects, count too (as `instanceof` and DevTools'
 *   console `queryObjects()` see them).
 */
import type { Protocol } from 'devtools-protocol';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import type { HeapUsage, LivenessCheck, ObjectLiveness } from '../protocol/liveHeap';
import { ExpressionError, InspectorError, ObjectIdsLostError, ObjectNotAvailableError, PrimitiveValueError } from './errors';

/** The session's typed CDP sender. */
export type Send = <M extends keyof ProtocolMapping.Commands>(method: M, params: ProtocolMapping.Commands[M]['paramsType'][0]) => Promise<ProtocolMapping.Commands[M]['returnType']>;

/** Which class to count: its prototype's snapshot id (HeapGraph.prototypeIdOfClass), or an expression that evaluates to its constructor. */
export type ClassRef = { prototypeId: number } | { constructorExpression: string };

export async function readHeapUsage(send: Send): Promise<HeapUsage> {
  const { usedSize, totalSize, embedderHeapUsedSize, backingStorageSize } = await send('Runtime.getHeapUsage', undefined);
  const usage: HeapUsage = { usedSize, totalSize };
  // Node 20's V8 leaves these out.
  if (typeof embedderHeapUsedSize === 'number') usage.embedderHeapUsedSize = embedderHeapUsedSize;
  if (typeof backingStorageSize === 'number') usage.backingStorageSize = backingStorageSize;
  return usage;
}

/** Objects with the class's prototype in their chain, counted in the target and released at once. */
export async function countInstances(send: Send, group: string, of: ClassRef): Promise<number> {
  try {
    const prototype = await prototypeHandle(send, group, of);
    const { objects } = await send('Runtime.queryObjects', { prototypeObjectId: prototype, objectGroup: group });
    const { result } = await send('Runtime.callFunctionOn', { functionDeclaration: 'function () { return this.length; }', objectId: objects.objectId!, returnByValue: true, silent: true });
    return result.value as number;
  } finally {
    await send('Runtime.releaseObjectGroup', { objectGroup: group });
  }
}

async function prototypeHandle(send: Send, group: string, of: ClassRef): Promise<string> {
  if ('prototypeId' in of) {
    const found = await lookUp(send, group, of.prototypeId);
    if (!found?.objectId) throw new ObjectNotAvailableError(of.prototypeId, 'prototype');
    return found.objectId;
  }
  const evaluated = await send('Runtime.evaluate', { expression: of.constructorExpression, objectGroup: group, silent: true, includeCommandLineAPI: false });
  if (evaluated.exceptionDetails) throw new ExpressionError(evaluated.exceptionDetails.exception?.description?.split('\n')[0] ?? evaluated.exceptionDetails.text);
  if (evaluated.result.type !== 'function' || !evaluated.result.objectId) throw new PrimitiveValueError(evaluated.result.type, 'a constructor was expected');
  const { result } = await send('Runtime.callFunctionOn', { functionDeclaration: 'function () { return this.prototype; }', objectId: evaluated.result.objectId, objectGroup: group, silent: true });
  if (result.type !== 'object' || !result.objectId) throw new PrimitiveValueError(result.subtype === 'null' ? 'null' : result.type, 'the constructor has no prototype object');
  return result.objectId;
}

/**
 * The global object's snapshot id: it lives as long as the process, so while
 * the ids live it never changes. 0 when the process holds no ids.
 */
export async function idSentinel(send: Send, group: string): Promise<number> {
  try {
    const { result } = await send('Runtime.evaluate', { expression: 'globalThis', objectGroup: group, silent: true, includeCommandLineAPI: false });
    const { heapSnapshotObjectId } = await send('HeapProfiler.getHeapObjectId', { objectId: result.objectId! });
    return Number(heapSnapshotObjectId);
  } finally {
    await send('Runtime.releaseObjectGroup', { objectGroup: group });
  }
}

/**
 * Each id: alive or collected. `garbageCollected` says whether the forced GC
 * answered within `gcTimeoutMs` (see LivenessCheck); `pendingGc` is the GC
 * still running from an earlier check, awaited instead of asking for another.
 * `sentinel` is the global object's id when the ids were last known good.
 */
export async function checkLiveness(
  send: Send,
  group: string,
  ids: readonly number[],
  { gc, sentinel }: { gc: Promise<boolean>; sentinel: number | null },
): Promise<{ check: LivenessCheck; sentinel: number }> {
  const before = await idSentinel(send, group);
  if (before === 0) throw new ObjectIdsLostError('none');
  if (sentinel !== null && before !== sentinel) throw new ObjectIdsLostError('renumbered');
  const garbageCollected = await gc;
  const objects: ObjectLiveness[] = [];
  try {
    for (const id of ids) {
      const found = await lookUp(send, group, id);
      objects.push(found ? { id, state: 'alive', className: found.className, description: found.description } : { id, state: 'collected' });
      await send('Runtime.releaseObjectGroup', { objectGroup: group });
    }
  } finally {
    await send('Runtime.releaseObjectGroup', { objectGroup: group });
  }
  // A session that closed meanwhile took the ids with it: every id would read as collected.
  const after = await idSentinel(send, group);
  if (after !== before) throw new ObjectIdsLostError(after === 0 ? 'none' : 'renumbered');
  return { check: { objects, garbageCollected }, sentinel: before };
}

/** The object, or null when V8 says "Object is not available" (collected or unreachable). */
async function lookUp(send: Send, group: string, id: number): Promise<Protocol.Runtime.RemoteObject | null> {
  try {
    const { result } = await send('HeapProfiler.getObjectByHeapObjectId', { objectId: String(id), objectGroup: group });
    return result;
  } catch (error) {
    if (error instanceof InspectorError && /not available/i.test(error.detail)) return null;
    throw error;
  }
}
