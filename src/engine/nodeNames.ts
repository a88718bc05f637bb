/**
 * How nodes are named and previewed, and which ones are V8 plumbing.
 * Class names follow DevTools' summary view (`(string)`, `(closure)`, …).
 */
import type { HeapSnapshotData } from './snapshotData';
import type { TypeCodes } from './edgeTypes';
import { isDetached } from './detachedness';

const PREVIEW_LENGTH = 40;

/** Holders that only duplicate another edge or exist as V8 implementation. */
const PLUMBING_NAMES = new Set([
  '(object properties)',
  '(object elements)',
  '(map descriptors)',
  '(transition array)',
  '(prototype transitions)',
  '(feedback cell)',
  '(feedback vector)',
  'system / PropertyArray',
  'system / DescriptorArray',
  'system / TransitionArray',
  'system / PrototypeInfo',
  'system / WeakArrayList',
  'system / WeakFixedArray',
  'system / FeedbackCell',
  'system / FeedbackVector',
  'system / Map',
  'system / AllocationSite',
  // A global's value, in the global object's dictionary: the global already has a named edge to it.
  'system / PropertyCell',
]);

export class NodeNames {
  /** Per string-table index: 0 not decided yet, 1 a plumbing name, 2 not. */
  private readonly plumbingNames: Uint8Array;
  private readonly nativeType: number;

  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
    /** Native nodes DevTools names "Detached …" (one bit a node; see detachedness.ts), or null when there is none. */
    readonly detachedNodes: Uint32Array | null = null,
  ) {
    this.plumbingNames = new Uint8Array(data.strings.length);
    this.nativeType = data.nodeTypeNames.indexOf('native');
  }

  rawName(ordinal: number): string {
    return this.data.strings.get(this.data.nodeNames[ordinal]);
  }

  typeName(ordinal: number): string {
    return this.data.nodeTypeNames[this.data.nodeTypes[ordinal]] ?? 'unknown';
  }

  isString(ordinal: number): boolean {
    const t = this.data.nodeTypes[ordinal];
    const c = this.codes;
    return t === c.nodeString || t === c.nodeConsString || t === c.nodeSlicedString;
  }

  /** DevTools' summary grouping: objects by constructor, the rest by type. */
  className(ordinal: number): string {
    const t = this.data.nodeTypes[ordinal];
    const c = this.codes;
    if (t === c.nodeObject) return this.rawName(ordinal) || '(object)';
    if (t === this.nativeType) return this.detachedPrefix(ordinal) + (this.rawName(ordinal) || '(object)');
    if (t === c.nodeHidden) return '(system)';
    if (t === c.nodeCode) return '(compiled code)';
    if (this.isString(ordinal)) return '(string)';
    return `(${this.typeName(ordinal)})`;
  }

  /** The name shown on a node: the constructor or function name; strings and numbers by kind. */
  displayName(ordinal: number): string {
    const t = this.data.nodeTypes[ordinal];
    if (this.isString(ordinal)) return '(string)';
    if (t === this.codes.nodeNumber) return '(number)';
    const raw = this.rawName(ordinal);
    if (t === this.codes.nodeClosure) return raw || '(anonymous function)';
    if (t === this.nativeType) return this.detachedPrefix(ordinal) + (raw || '(native)');
    return raw || `(${this.typeName(ordinal)})`;
  }

  private detachedPrefix(ordinal: number): string {
    return this.detachedNodes !== null && isDetached(this.detachedNodes, ordinal) ? 'Detached ' : '';
  }

  /** A short value: strings quoted and truncated, numbers as written. */
  preview(ordinal: number): string | undefined {
    if (this.isString(ordinal)) {
      if (this.data.nodeTypes[ordinal] !== this.codes.nodeSlicedString) return quote(this.stringText(ordinal, PREVIEW_LENGTH + 1));
      // V8 writes a slice's parent but not its offset or length: say which text it was cut from.
      const parent = this.stringPart(ordinal, 'parent');
      return parent < 0 ? '(sliced string)' : `slice of ${quote(this.stringText(parent, PREVIEW_LENGTH + 1))}`;
    }
    if (this.data.nodeTypes[ordinal] === this.codes.nodeNumber) return this.rawName(ordinal);
    return undefined;
  }

  /**
   * A string's text, at least `max` characters of it when it is that long.
   * V8 names a concatenated string "(concatenated string)" and writes its two
   * halves as `first` and `second` edges: join them as DevTools does, depth
   * first, stopping once `max` is reached. A slice inside one shows as `…`
   * (the snapshot does not say which part of its parent it is).
   */
  stringText(ordinal: number, max = Infinity): string {
    const { nodeTypes } = this.data;
    const { nodeConsString, nodeSlicedString } = this.codes;
    if (nodeTypes[ordinal] !== nodeConsString) return nodeTypes[ordinal] === nodeSlicedString ? '…' : this.rawName(ordinal);
    let text = '';
    const stack = [ordinal];
    while (stack.length > 0 && text.length < max) {
      const part = stack.pop()!;
      const type = nodeTypes[part];
      if (type === nodeConsString) {
        const first = this.stringPart(part, 'first');
        const second = this.stringPart(part, 'second');
        if (second >= 0) stack.push(second);
        if (first >= 0) stack.push(first);
      } else {
        text += type === nodeSlicedString ? '…' : this.rawName(part);
      }
    }
    return text;
  }

  /** The target of a string's internal edge (`first`, `second`, `parent`), or -1. */
  private stringPart(ordinal: number, edge: string): number {
    const { firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, strings } = this.data;
    for (let e = firstEdgeIndexes[ordinal]; e < firstEdgeIndexes[ordinal + 1]; e++) {
      if (edgeTypes[e] === this.codes.edgeInternal && strings.get(edgeNamesOrIndexes[e]) === edge) return edgeToNodes[e];
    }
    return -1;
  }

  /** V8 implementation detail rather than something the program created. */
  isInternal(ordinal: number): boolean {
    const t = this.data.nodeTypes[ordinal];
    const c = this.codes;
    if (t === c.nodeHidden || t === c.nodeCode || t === c.nodeObjectShape) return true;
    const name = this.rawName(ordinal);
    if (t === c.nodeSynthetic) return false;
    return name.startsWith('system / ') && name !== 'system / Context' || PLUMBING_NAMES.has(name);
  }

  /**
   * A holder whose retaining edges are noise in a retainer walk: hidden
   * classes, code, and backing stores whose owner already has a named edge
   * to the same object (an object's `(object properties)` array, say).
   */
  isPlumbing(ordinal: number): boolean {
    const t = this.data.nodeTypes[ordinal];
    const c = this.codes;
    if (t === c.nodeCode || t === c.nodeObjectShape) return true;
    // Holders of a node with a million retainers: decode each distinct name once.
    const nameIndex = this.data.nodeNames[ordinal];
    let flag = this.plumbingNames[nameIndex];
    if (flag === 0) {
      flag = PLUMBING_NAMES.has(this.data.strings.get(nameIndex)) ? 1 : 2;
      this.plumbingNames[nameIndex] = flag;
    }
    return flag === 1;
  }
}

/** A string value as a JS literal, truncated for display. */
export function quote(value: string, max = PREVIEW_LENGTH): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}
