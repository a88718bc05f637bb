/**
 * Indexing that begins while a streamed snapshot (a live capture) is still
 * arriving. V8 sends the nodes and edges first and the strings last, at its
 * own pace (a GB heap takes V8 tens of seconds to write, the parser a few):
 * once the nodes and edges are read, a helper thread sorts the ids and builds
 * the retainer rows while this thread goes on parsing, so after the closing
 * brace only what needs the strings (distances, which must recognise WeakMap
 * entries by their edge names) is left to do here.
 */
import { IdIndex } from '../engine/idIndex';
import type { IndexedElsewhere } from '../engine/heapGraph';
import type { SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { TWO_THREADS_FROM_EDGES, indexEdgesElsewhere, indexGraphElsewhere, indexingSettled, type IndexingOptions, type LoadedSnapshot } from './buildGraph';
import { HelperThread } from './helperThread';

export class StreamIndexing {
  private constructor(
    private readonly helper: HelperThread,
    private readonly retainers: IndexedElsewhere,
    private readonly nodeIds: Uint32Array,
    /** The id order, or undefined when the helper failed or was stopped (then sorted here, if still wanted). */
    private readonly idOrder: Promise<Uint32Array | undefined>,
  ) {}

  /**
   * Starts once `parser` has read every node and edge of a snapshot large
   * enough for a second thread to pay (its edge columns must be shared);
   * undefined until then, or when there is no helper script.
   */
  static startWhenReady(parser: SnapshotParser, helperScript: string | null): StreamIndexing | undefined {
    const nodeIds = parser.nodeIdsRead;
    const target = parser.backwardEdgesTarget;
    if (!helperScript || !nodeIds || !target || !parser.edgesComplete) return undefined;
    const { columns, layout } = target;
    if (layout.edgeCount < TWO_THREADS_FROM_EDGES || !(columns.toNodes.buffer instanceof SharedArrayBuffer)) return undefined;
    const helper = new HelperThread(helperScript);
    // Jobs run in order: the id order first, which the graph needs before the retainer rows.
    const idOrder = helper.call('ordinalsById', nodeIds).catch(() => undefined);
    const retainers = indexEdgesElsewhere(helper, { edgeToNodes: columns.toNodes, nodeCount: layout.nodeCount });
    return new StreamIndexing(helper, retainers, nodeIds, idOrder);
  }

  /** The parsed snapshot with what was indexed ahead; the helper goes on with what needs it whole, then stops. */
  loaded(data: HeapSnapshotData, options: IndexingOptions): LoadedSnapshot {
    const indexing = indexGraphElsewhere(this.helper, data, options, this.retainers);
    void indexingSettled(indexing).finally(() => this.helper.stop());
    return { data, indexing, ids: this.idOrder.then((sorted) => new IdIndex(this.nodeIds, sorted)) };
  }

  /** The snapshot will not be built (cancelled, or not valid after all). */
  stop(): Promise<void> {
    return this.helper.stop();
  }
}
