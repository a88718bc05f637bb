/**
 * Snapshot id → nodeOrdinal. V8 hands out ids in allocation order, so ids
 * ascend with the ordinal except for a few native/synthetic nodes with large
 * ids (69 of 1.9 M on a 140 MB Node heap). Those go to a small Map; the rest
 * is searched by bisection over an ordinal list: one sequential pass, 4 bytes
 * a node. A heap that is not mostly ordered falls back to a hash table.
 */
export class IdIndex {
  private readonly ordered: Uint32Array;
  private readonly outliers = new Map<number, number>();

  constructor(private readonly nodeIds: Uint32Array) {
    const nodeCount = nodeIds.length;
    const ordered = new Uint32Array(nodeCount);
    let count = 0;
    let last = -1;
    for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
      const id = nodeIds[ordinal];
      // A node joins the ordered run unless it breaks the ascent here or just after it.
      if (id > last && (ordinal === nodeCount - 1 || id < nodeIds[ordinal + 1] || nodeIds[ordinal + 1] <= last)) {
        ordered[count++] = ordinal;
        last = id;
      } else {
        this.outliers.set(id, ordinal);
      }
    }
    this.ordered = ordered.subarray(0, count);
    if (this.outliers.size > Math.max(10_000, nodeCount / 50)) {
      // Not mostly ordered: index everything by Map rather than bisect a sparse run.
      this.ordered = new Uint32Array(0);
      this.outliers.clear();
      for (let ordinal = 0; ordinal < nodeCount; ordinal++) this.outliers.set(nodeIds[ordinal], ordinal);
    }
  }

  /** nodeOrdinal for a snapshot id, or -1. */
  ordinalOf(id: number): number {
    const outlier = this.outliers.get(id);
    if (outlier !== undefined) return outlier;
    const { ordered, nodeIds } = this;
    let low = 0;
    let high = ordered.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const midId = nodeIds[ordered[mid]];
      if (midId === id) return ordered[mid];
      if (midId < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }
}
