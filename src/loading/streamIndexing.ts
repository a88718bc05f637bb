/**
 * Indexing that begins while a streamed snapshot (a live capture) is still
 * arriving. V8 sends the nodes and edges first and the strings last, at its
 * own pace (a GB heap takes V8 tens of seconds to write, the parser a few):
 * once the nodes and edges are read, a helper thread sorts the ids, builds
 * the retainer rows and computes the shallow sizes while this thread goes on
 * parsing, so after the closing brace only what needs the strings (distances,
 * which must recognise WeakMap entries by their edge names) is left to do here.
 */
import { typeCodes } from '../engine/edgeTypes';
import { IdIndex } from '../engine/idIndex';
import type { IndexedElsewhere } from '../engine/heapGraph';
import type { SnapshotParser } from '../engine/parser';
import { hasExternalStringData } from '../engine/shallowSizes';
import type { HeapSnapshotData, SizeArray } from '../engine/snapshotData';
import { TWO_THREADS_FROM_EDGES, indexEdgesElsewhere, indexGraphElsewhere, indexingSettled, type IndexingOptions, type LoadedSnapshot } from './buildGraph';
import { HelperThread } from './helperThread';

export class StreamIndexing {
  private constructor(
    private readonly helper: HelperThread,
    private readonly retainers: IndexedElsewhere,
    private readonly nodeIds: Uint32Array,
    /** The id order, or undefined when the helper failed or was stopped (then sorted here, if still wanted). */
    private readonly idOrder: Promise<Uint32Array | undefined>,
    /** Shallow sizes with no node taken for external string data: right unless the strings name one. */
    private readonly sizesBeforeStrings: Promise<SizeArray>,
  ) {}

  /**
   * Starts once `parser` has read every node and edge of a snapshot large
   * enough for a second thread to pay (its columns must be shared);
   * undefined until then, or when there is no helper script.
   */
  static startWhenReady(parser: SnapshotParser, helperScript: string | null): StreamIndexing | undefined {
    const columns = helperScript ? parser.graphColumnsRead : undefined;
    if (!helperScript || !columns || columns.edgeCount < TWO_THREADS_FROM_EDGES || !(columns.edgeToNodes.buffer instanceof SharedArrayBuffer)) return undefined;
    const helper = new HelperThread(helperScript);
    // Jobs run in order: the id order first, which the graph needs before the rest.
    const idOrder = helper.call('ordinalsById', columns.nodeIds).catch(() => undefined);
    const retainers = indexEdgesElsewhere(helper, columns);
    const sizesBeforeStrings = helper.call('shallowSizesBeforeStrings', columns);
    return new StreamIndexing(helper, retainers, columns.nodeIds, idOrder, sizesBeforeStrings);
  }

  /** The parsed snapshot with what was indexed ahead; the helper goes on with what needs it whole, then stops. */
  loaded(data: HeapSnapshotData, options: IndexingOptions): LoadedSnapshot {
    // V8 writes `system / ExternalStringData` nodes for some heaps only; then the sizes are computed again.
    const ahead = hasExternalStringData(data, typeCodes(data)) ? this.retainers : { ...this.retainers, shallowSizes: this.sizesBeforeStrings };
    const indexing = indexGraphElsewhere(this.helper, data, ahead, options);
    void indexingSettled(indexing).finally(() => this.helper.stop());
    return { data, indexing, ids: this.idOrder.then((sorted) => new IdIndex(this.nodeIds, sorted)) };
  }

  /** The snapshot will not be built (cancelled, or not valid after all). */
  stop(): Promise<void> {
    return this.helper.stop();
  }
}
