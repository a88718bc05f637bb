/**
 * Edge labels as code reads them: `.instanceMap`, `[12]`, `get("bot3")`,
 * `closure: big`. Map and Set entries are reported from the collection
 * itself: V8 holds them through an `internal` `table` edge to an
 * OrderedHashMap whose entries are (key, value, chain) slots, named by slot
 * index, so a value at slot i has its key at slot i-1 (the chain slot is a
 * Smi and never an edge).
 */
import type { GraphCore } from './graphCore';
import type { RootClassifier } from './roots';
import { propertyAccess } from './roots';

export interface CollectionEntry {
  /** The Map or Set owning the backing table. */
  owner: number;
  label: string;
}

export class EdgeLabels {
  constructor(
    private readonly core: GraphCore,
    private readonly roots: RootClassifier,
  ) {}

  /** The label of edgeIndex, held by `holder`. */
  label(edgeIndex: number, holder: number): string {
    const { core } = this;
    const type = core.edgeTypeName(edgeIndex);
    const name = core.edgeName(edgeIndex);
    switch (type) {
      case 'property':
        return propertyAccess(name);
      case 'element':
        return `[${name}]`;
      case 'context': {
        const scope = this.roots.classify(holder);
        return scope?.kind === 'module' ? name : `closure: ${name}`;
      }
      case 'internal':
        if (name.includes('part of key')) return 'WeakMap value';
        if (name.endsWith(' / DevTools console')) return 'DevTools console handle';
        return name === 'context' ? 'scope' : `[[${name}]]`;
      case 'hidden': {
        const variable = this.blockScopeVariable(edgeIndex, holder);
        return variable === null ? `[[hidden ${name}]]` : `closure: ${variable}`;
      }
      case 'weak':
        return `weak: ${name}`;
      case 'shortcut':
        return name;
      default:
        return name;
    }
  }

  /**
   * When `holder` is the backing table of a Map or Set, the entry edgeIndex
   * stands for: `get("bot3")`, `key "bot3"`, `has(@123)`; else null.
   */
  collectionEntry(edgeIndex: number, holder: number): CollectionEntry | null {
    const { core } = this;
    const { data, codes } = core;
    if (data.nodeTypes[holder] !== codes.nodeArray || data.edgeTypes[edgeIndex] !== codes.edgeInternal) return null;
    let owner = -1;
    let ownerName = '';
    for (const r of core.retainersIterable(holder)) {
      if (data.edgeTypes[r.edgeIndex] !== codes.edgeInternal || core.edgeName(r.edgeIndex) !== 'table') continue;
      const name = core.names.rawName(r.holder);
      if (name === 'Map' || name === 'Set') {
        owner = r.holder;
        ownerName = name;
        break;
      }
    }
    if (owner < 0) return null;
    const slot = Number(core.edgeName(edgeIndex));
    if (!Number.isInteger(slot)) return null;
    if (ownerName === 'Set') return { owner, label: `has(${this.keyText(data.edgeToNodes[edgeIndex])})` };
    const before = this.slotTarget(holder, edgeIndex, slot - 1);
    if (before >= 0) return { owner, label: `get(${this.keyText(before)})` };
    const after = this.slotTarget(holder, edgeIndex, slot + 1);
    if (after >= 0) return { owner, label: `key ${this.keyText(data.edgeToNodes[edgeIndex])}` };
    // Neither neighbour is an edge: a value whose key is a small integer (Smi), or a key whose value is.
    return { owner, label: 'get(<number>)' };
  }

  /**
   * V8 names the variables of function scopes (`context` edges) but writes a
   * block scope's slots (a `let`/`const` captured inside a loop body) as
   * `hidden` edges numbered from 0. The scope's `scope_info` lists the same
   * variables' names as string slots in the same order; trust that only when
   * both counts agree.
   */
  private blockScopeVariable(edgeIndex: number, holder: number): string | null {
    const { core } = this;
    const { data, codes } = core;
    if (core.names.rawName(holder) !== 'system / Context') return null;
    const scopeInfo = core.findEdgeTarget(holder, codes.edgeInternal, 'scope_info');
    if (scopeInfo < 0) return null;
    const slots = (ordinal: number, strings: boolean): number[] => {
      const found: number[] = [];
      for (let e = data.firstEdgeIndexes[ordinal]; e < data.firstEdgeIndexes[ordinal + 1]; e++) {
        if (data.edgeTypes[e] !== codes.edgeHidden) continue;
        if (strings && data.nodeTypes[data.edgeToNodes[e]] !== codes.nodeString) continue;
        found.push(strings ? data.edgeToNodes[e] : e);
      }
      return found;
    };
    const contextSlots = slots(holder, false);
    const names = slots(scopeInfo, true);
    const position = contextSlots.indexOf(edgeIndex);
    if (position < 0 || names.length !== contextSlots.length) return null;
    return core.names.rawName(names[position]);
  }

  /** The target of the table's edge for `slot`, or -1. V8 writes slots in order, so look next door first. */
  private slotTarget(table: number, edgeIndex: number, slot: number): number {
    if (slot < 0) return -1;
    const { data, codes } = this.core;
    const name = String(slot);
    const neighbour = slot < Number(this.core.edgeName(edgeIndex)) ? edgeIndex - 1 : edgeIndex + 1;
    if (neighbour >= data.firstEdgeIndexes[table] && neighbour < data.firstEdgeIndexes[table + 1]) {
      if (data.edgeTypes[neighbour] === codes.edgeInternal && this.core.edgeName(neighbour) === name) return data.edgeToNodes[neighbour];
      // Slots are ascending: a neighbour that is not the slot means the slot holds no heap object.
      const neighbourSlot = Number(this.core.edgeName(neighbour));
      if (data.edgeTypes[neighbour] === codes.edgeInternal && Number.isInteger(neighbourSlot)) return -1;
    }
    return this.core.findEdgeTarget(table, codes.edgeInternal, name);
  }

  /** A key as code would write it: a quoted string, a number, or `Name @id`. */
  private keyText(ordinal: number): string {
    const { names, data } = this.core;
    const preview = names.preview(ordinal);
    if (preview !== undefined) return preview;
    return `${names.displayName(ordinal)} @${data.nodeIds[ordinal]}`;
  }
}

