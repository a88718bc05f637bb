/**
 * The indexed snapshot the algorithms share: columns, retainer rows, ids,
 * distances, and small edge/retainer helpers. Built by HeapGraph.build.
 */
import type { HeapSnapshotData } from './snapshotData';
import { edgeName, isStrongEdge, type EphemeronEdges, type TypeCodes } from './edgeTypes';
import type { NodeNames } from './nodeNames';
import type { RetainerIndex } from './retainerIndex';
import type { IdIndex } from './idIndex';
import { HolderFilter, UNREACHABLE, shownDistance } from './distances';

export interface Retainer {
  edgeIndex: number;
  holder: number;
}

export class GraphCore {
  constructor(
    readonly data: HeapSnapshotData,
    readonly codes: TypeCodes,
    readonly names: NodeNames,
    readonly retainers: RetainerIndex,
    readonly ephemerons: EphemeronEdges,
    readonly distances: Uint32Array,
    readonly ids: IdIndex,
  ) {}

  private filter: HolderFilter | null = null;

  /** DevTools' distance filter on holders (`sloppy_function_map`, `(map descriptors)`), for walks that follow distances. */
  get holderFilter(): HolderFilter {
    return (this.filter ??= new HolderFilter(this.data, this.codes));
  }

  edgeName(edgeIndex: number): string {
    return edgeName(this.data, this.codes, edgeIndex);
  }

  edgeTypeName(edgeIndex: number): string {
    return this.data.edgeTypeNames[this.data.edgeTypes[edgeIndex]] ?? 'unknown';
  }

  /** Retains (a WeakMap entry's halves included: each is one of two conditions); not `weak`. */
  isStrong(edgeIndex: number): boolean {
    return isStrongEdge(this.data, this.codes, edgeIndex);
  }

  distanceOf(ordinal: number, distances = this.distances): number | null {
    const d = distances[ordinal];
    return d === UNREACHABLE ? null : shownDistance(d);
  }

  /** The target of the first edge of `ordinal` with this type and name, or -1. */
  findEdgeTarget(ordinal: number, type: number, name: string): number {
    const { firstEdgeIndexes, edgeTypes, edgeToNodes } = this.data;
    for (let e = firstEdgeIndexes[ordinal]; e < firstEdgeIndexes[ordinal + 1]; e++) {
      if (edgeTypes[e] === type && this.edgeName(e) === name) return edgeToNodes[e];
    }
    return -1;
  }

  /** All retaining edges of `ordinal` with their holders, in index order. */
  retainersOf(ordinal: number): Retainer[] {
    return [...this.retainersIterable(ordinal)];
  }

  /** The same, lazily: classification stops early on nodes with millions of retainers. */
  *retainersIterable(ordinal: number): Generator<Retainer> {
    const { firstRetainerIndexes, retainingEdges } = this.retainers;
    let holder = -1;
    for (let r = firstRetainerIndexes[ordinal]; r < firstRetainerIndexes[ordinal + 1]; r++) {
      const edgeIndex = retainingEdges[r];
      holder = this.retainers.holderAfter(edgeIndex, holder);
      yield { edgeIndex, holder };
    }
  }

  /** Per string index: 0 not decided, 1 "prototype", 2 another name. */
  private prototypeNames: Uint8Array | null = null;

  /**
   * Is this object a function's `prototype`? V8 names a prototype after its
   * constructor when it has a Symbol.toStringTag or was made by a plain
   * function (Node's URL and EventEmitter, jsdom's elements), so it counts
   * among that class's instances as DevTools counts them.
   */
  isPrototype(ordinal: number): boolean {
    const { firstRetainerIndexes, retainingEdges } = this.retainers;
    const { edgeTypes, edgeNamesOrIndexes, nodeTypes, strings } = this.data;
    const names = (this.prototypeNames ??= new Uint8Array(strings.length));
    for (let r = firstRetainerIndexes[ordinal]; r < firstRetainerIndexes[ordinal + 1]; r++) {
      const edgeIndex = retainingEdges[r];
      if (edgeTypes[edgeIndex] !== this.codes.edgeProperty) continue;
      const nameIndex = edgeNamesOrIndexes[edgeIndex];
      if (names[nameIndex] === 0) names[nameIndex] = strings.get(nameIndex) === 'prototype' ? 1 : 2;
      if (names[nameIndex] === 1 && nodeTypes[this.retainers.holderOf(edgeIndex)] === this.codes.nodeClosure) return true;
    }
    return false;
  }

  /** Strong retainers; the count needs no holder lookups. */
  retainerCount(ordinal: number): number {
    const { firstRetainerIndexes, retainingEdges } = this.retainers;
    let count = 0;
    for (let r = firstRetainerIndexes[ordinal]; r < firstRetainerIndexes[ordinal + 1]; r++) {
      if (this.isStrong(retainingEdges[r])) count++;
    }
    return count;
  }
}
