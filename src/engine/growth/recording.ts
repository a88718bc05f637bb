/**
 * Growth across a series of snapshots of one process, one graph at a time:
 * `add()` each older snapshot's graph (oldest first; only its digest is
 * kept, so the caller drops the graph before loading the next), then
 * `report()` against the newest graph, which stays whole for labels and paths.
 *
 *     const recording = new GrowthRecording();
 *     recording.add(await load(first), first);
 *     const report = await recording.report(await load(last), last);
 *
 * Whatever the graphs carry is used: with retained sizes computed
 * (`computeRetainedSizes()`), classes and collections get theirs too.
 */
import type { GrowthReport } from '../../protocol/growth';
import { HeapGraph, type ClassIndex } from '../heapGraph';
import { digestData, digestGraph, type SnapshotDigest } from './digest';
import type { HeapSnapshotData } from '../snapshotData';
import { compareIdentity, type IdentityComparison } from './identity';
import { maxObjectId } from './objectIds';
import { growthReport } from './report';

export class GrowthRecording {
  private readonly digests: SnapshotDigest[] = [];

  /** Snapshots added so far. */
  get size(): number {
    return this.digests.length;
  }

  /**
   * Keeps the digest of an older snapshot (`file` names it in the report):
   * of its graph, with the retained sizes it has, or of its parsed data alone
   * (cheaper: no indexes are built; no retained sizes).
   */
  add(snapshot: HeapGraph | HeapSnapshotData, file: string): void {
    const withObjects = this.digests.length === 0;
    if (!(snapshot instanceof HeapGraph)) {
      this.digests.push(digestData(snapshot, file, { withObjects }));
      return;
    }
    this.digests.push(digestGraph(snapshot, file, { withObjects }));
    // Digested: nothing more is asked of this graph, so no thread goes on computing for it.
    void snapshot.stopWorkElsewhere();
  }

  /** Does the next older snapshot's digest keep its objects (the first one does)? */
  get needsObjects(): boolean {
    return this.digests.length === 0;
  }

  /** Keeps a digest made apart (digestDataWith), with objects exactly when `needsObjects`. */
  addDigest(digest: SnapshotDigest): void {
    if ((digest.objects !== null) !== this.needsObjects) throw new Error(`the digest of ${digest.file} ${this.needsObjects ? 'lacks' : 'has'} the objects only the first snapshot keeps`);
    this.digests.push(digest);
  }

  /**
   * Keeps the digest of a snapshot of a series whose order is not known yet
   * (files picked in any order): digests are kept oldest first by their
   * highest object id, and only the first keeps its ids (6 bytes a node), the
   * others drop theirs once an older one arrives. The caller keeps the newest
   * snapshot out of the recording, for `report()`.
   */
  insert(snapshot: HeapSnapshotData, file: string): void {
    const digest = digestData(snapshot, file, { withObjects: true });
    let at = this.digests.length;
    while (at > 0 && this.digests[at - 1].maxObjectId > digest.maxObjectId) at--;
    this.digests.splice(at, 0, digest);
    for (let i = 1; i < this.digests.length; i++) if (this.digests[i].objects) this.digests[i] = { ...this.digests[i], objects: null };
  }

  /**
   * Forgets the snapshot added last and returns its name: it is to be the
   * latest again (its graph was dropped for a next snapshot that never came).
   */
  removeLast(): string | undefined {
    return this.digests.pop()?.file;
  }

  /** How the report names the added snapshots, oldest first. */
  files(): string[] {
    return this.digests.map((digest) => digest.file);
  }

  /** The first snapshot: objects of a later one with a higher id were allocated after it. Null before the first `add()`. */
  get baseline(): { file: string; maxObjectId: number } | null {
    const first = this.digests[0];
    return first ? { file: first.file, maxObjectId: first.maxObjectId } : null;
  }

  /**
   * Growth from the added snapshots to `latest` (not added: call `add()`
   * afterwards to keep recording). Rejects with SnapshotOrderError when the
   * series is not oldest first.
   */
  async report(latest: HeapGraph, file: string): Promise<GrowthReport> {
    if (this.digests.length === 0) throw new Error('growth needs an older snapshot: add() one before report()');
    // The snapshots recorded now: one added while this waits is not part of this report.
    const older = [...this.digests];
    // The classes are grouped and the objects matched here while another thread, when asked to
    // (IndexingOptions.collections), finds the collections.
    const classIndex = latest.classIndex();
    const identity = identityAgainst(older[0], latest, classIndex);
    await latest.collectionsFromElsewhere();
    return growthReport(older, latest, file, classIndex, identity);
  }

  /**
   * Is `latest` a later snapshot of the process the first added snapshot came
   * from (what `--new-since` needs)? Its objects above `firstMaxObjectId` are new.
   */
  identityOf(latest: HeapGraph): { sameProcess: boolean; idMismatch: number; newer: boolean; firstMaxObjectId: number } {
    const first = this.digests[0];
    if (!first?.objects) throw new Error('identityOf() needs an older snapshot: add() one first');
    const identity = identityAgainst(first, latest, latest.classIndex());
    return { sameProcess: identity.sameProcess, idMismatch: identity.mismatch, newer: maxObjectId(latest.data.nodeIds) > first.maxObjectId, firstMaxObjectId: first.maxObjectId };
  }
}

/** The first snapshot's objects against the latest graph's. */
function identityAgainst(first: SnapshotDigest, latest: HeapGraph, { names, classOf }: ClassIndex): IdentityComparison {
  if (!first.objects) throw new Error('growth needs the first snapshot digested with its objects');
  return compareIdentity(first.objects, first.maxObjectId, { nodeIds: latest.data.nodeIds, order: latest.ordinalsById(), classOf, classNames: [...names, '(root)'] });
}
