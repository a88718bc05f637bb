/**
 * Snapshot id → nodeOrdinal, as an open-addressing hash table (linear
 * probing, Fibonacci hashing) in one Int32Array. V8's ids are not sorted by
 * ordinal (native and synthetic nodes carry large ids), and sorting 14 M ids
 * costs more than this single O(n) pass.
 */
export class IdIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(private readonly nodeIds: Uint32Array) {
    const nodeCount = nodeIds.length;
    let bits = 4;
    while (1 << bits < nodeCount * 1.5) bits++;
    this.slots = new Int32Array(1 << bits).fill(-1);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    const slots = this.slots;
    const mask = this.mask;
    for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
      let slot = this.hash(nodeIds[ordinal]);
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = ordinal;
    }
  }

  /** nodeOrdinal for a snapshot id, or -1. */
  ordinalOf(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) return -1;
    const slots = this.slots;
    const nodeIds = this.nodeIds;
    let slot = this.hash(id);
    for (;;) {
      const ordinal = slots[slot];
      if (ordinal === -1) return -1;
      if (nodeIds[ordinal] === id) return ordinal;
      slot = (slot + 1) & this.mask;
    }
  }

  private hash(id: number): number {
    return Math.imul(id, 0x9e3779b1) >>> this.shift;
  }
}
