/**
 * How nodes are named and previewed, and which ones are V8 plumbing.
 * Class names follow DevTools' summary view (`(string)`, `(closure)`, …).
 */
import type { HeapSnapshotData } from './snapshotData';
import type { TypeCodes } from './edgeTypes';

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
]);

export class NodeNames {
  /** Per string-table index: 0 not decided yet, 1 a plumbing name, 2 not. */
  private readonly plumbingNames: Uint8Array;

  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
  ) {
    this.plumbingNames = new Uint8Array(data.strings.length);
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
    if (t === c.nodeObject || t === this.data.nodeTypeNames.indexOf('native')) return this.rawName(ordinal) || '(object)';
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
    return raw || `(${this.typeName(ordinal)})`;
  }

  /** A short value: strings quoted and truncated, numbers as written. */
  preview(ordinal: number): string | undefined {
    if (this.data.nodeTypes[ordinal] === this.codes.nodeConsString) return quote(this.consText(ordinal, PREVIEW_LENGTH + 1));
    if (this.isString(ordinal)) return quote(this.rawName(ordinal));
    if (this.data.nodeTypes[ordinal] === this.codes.nodeNumber) return this.rawName(ordinal);
    return undefined;
  }

  /**
   * The text of a concatenated string, whose own name V8 writes as
   * `(concatenated string)`: its parts (`first`, `second` edges) joined, up
   * to `max` characters.
   */
  private consText(ordinal: number, max: number): string {
    let text = '';
    const stack = [ordinal];
    const { data, codes } = this;
    while (stack.length > 0 && text.length < max) {
      const node = stack.pop()!;
      if (data.nodeTypes[node] !== codes.nodeConsString) {
        text += this.rawName(node);
        continue;
      }
      const parts: number[] = [];
      for (let e = data.firstEdgeIndexes[node]; e < data.firstEdgeIndexes[node + 1]; e++) {
        const name = data.edgeTypes[e] === codes.edgeInternal ? data.strings.get(data.edgeNamesOrIndexes[e]) : '';
        if (name === 'first') parts[0] = data.edgeToNodes[e];
        else if (name === 'second') parts[1] = data.edgeToNodes[e];
      }
      if (parts[0] === undefined || parts[1] === undefined) return this.rawName(ordinal);
      stack.push(parts[1], parts[0]);
    }
    return text;
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
