/**
 * Edge labels as code reads them: `.instanceMap`, `[12]`, `get("bot3")`,
 * `closure: big`, `export DocRenderer`. Map and Set entries are reported
 * from the collection itself: V8 holds them through an `internal` `table`
 * edge to an OrderedHashMap whose entries are (key, value, chain) slots,
 * named by slot index, so a value at slot i has its key at slot i-1 (the
 * chain slot is a Smi and never an edge). A WeakMap entry's value has two
 * retainers, its WeakMap's table and its key: the first reads `WeakMap entry
 * keyed by ESLint @6211` from the WeakMap, the second `key of WeakMap entry
 * in privateMembers` from the key, so each names the other condition. In
 * the same way an ES module's exported binding (a Cell in its exports table)
 * and a local of its top-level code suspended at an `await` are reported
 * from the module.
 */
import type { GraphCore } from './graphCore';
import type { RootClassifier } from './roots';
import type { CodeScopes } from './codeScopes';
import type { EsModules } from './esModules';
import { propertyAccess } from './roots';

const MAP_OR_SET: ReadonlySet<string> = new Set(['Map', 'Set']);
const WEAK_MAP: ReadonlySet<string> = new Set(['WeakMap', 'WeakSet']);

export interface CollectionEntry {
  /** The Map, Set or WeakMap owning the backing table; for a WeakMap entry's key half, the key; the ES module owning a binding. */
  owner: number;
  /** Built on first read for Map and Set entries: merged paths follow a million of them and only need `kind`. */
  readonly label: string;
  /** Set for the halves of a WeakMap entry. */
  ephemeron?: 'map' | 'key';
  /** Map and Set entries: a value (`get(…)`, also for a small-integer key), a key (`key …`), a Set's member (`has(…)`). */
  kind?: 'get' | 'key' | 'has';
}

/** A Map or Set entry whose label is built on first read (a class: object literals with getters are slow to create). */
class MapEntry implements CollectionEntry {
  private text: string | undefined;

  constructor(
    readonly owner: number,
    readonly kind: 'get' | 'key' | 'has',
    /** The key shown (for `key`, the key itself); -1 for a small-integer key. */
    private readonly key: number,
    private readonly labels: EdgeLabels,
  ) {}

  get label(): string {
    if (this.text === undefined) {
      const key = this.key < 0 ? '<number>' : this.labels.keyText(this.key);
      this.text = this.kind === 'key' ? `key ${key}` : `${this.kind}(${key})`;
    }
    return this.text;
  }
}

export class EdgeLabels {
  private readonly scopes: CodeScopes;
  private readonly modules: EsModules;

  constructor(
    private readonly core: GraphCore,
    private readonly roots: RootClassifier,
  ) {
    this.scopes = roots.scopes;
    this.modules = roots.modules;
  }

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
        if (core.data.nodeTypes[holder] === core.codes.nodeSynthetic && core.names.rawName(holder) === '(Stack roots)') return this.stackSlot(edgeIndex, holder);
        if (core.ephemerons.has(edgeIndex)) return this.weakMapEntry(edgeIndex, holder).label;
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
   * stands for: `get("bot3")`, `key "bot3"`, `has(@123)`; when it is an ES
   * module's binding cell or the registers of its suspended top-level code,
   * `export DocRenderer` or `local of top-level code (awaiting)` from the
   * module; else null.
   */
  collectionEntry(edgeIndex: number, holder: number): CollectionEntry | null {
    const { core } = this;
    const { data, codes } = core;
    if (data.edgeTypes[edgeIndex] !== codes.edgeInternal) return null;
    if (core.ephemerons.has(edgeIndex)) return this.weakMapEntry(edgeIndex, holder);
    if (data.nodeTypes[holder] !== codes.nodeArray) return this.moduleCell(edgeIndex, holder);
    const { owner, ownerName } = this.tableOwner(holder, MAP_OR_SET);
    if (owner < 0) {
      const module = this.modules.suspendedModuleOf(holder);
      return module < 0 ? null : { owner: module, label: 'local of top-level code (awaiting)' };
    }
    const slot = Number(core.edgeName(edgeIndex));
    if (!Number.isInteger(slot)) return null;
    if (ownerName === 'Set') return new MapEntry(owner, 'has', data.edgeToNodes[edgeIndex], this);
    const before = this.slotTarget(holder, edgeIndex, slot - 1);
    if (before >= 0) return new MapEntry(owner, 'get', before, this);
    const after = this.slotTarget(holder, edgeIndex, slot + 1);
    if (after >= 0) return new MapEntry(owner, 'key', data.edgeToNodes[edgeIndex], this);
    // Neither neighbour is an edge: a value whose key is a small integer (Smi), or a key whose value is.
    return new MapEntry(owner, 'get', -1, this);
  }

  /** A Cell's `value` when the Cell is an ES module's export: `export DocRenderer`, from the module. */
  private moduleCell(edgeIndex: number, cell: number): CollectionEntry | null {
    const { core } = this;
    if (core.names.rawName(cell) !== 'system / Cell' || core.edgeName(edgeIndex) !== 'value') return null;
    const binding = this.modules.exportOf(cell);
    return binding ? { owner: binding.module, label: `export ${binding.name}` } : null;
  }

  /**
   * V8 writes `(Stack roots)` slot by slot, innermost frame first, without
   * saying which frame a slot belongs to. Locals hold JS values only, and
   * each frame ends with code objects: an interpreted frame's locals
   * (registers) come right before its FeedbackVector (once it has one),
   * BytecodeArray and function; a compiled frame's right before its
   * function, Context and code. The first code object after a slot tells
   * which; anything else means the slot's frame cannot be told.
   */
  private stackSlot(edgeIndex: number, stackRoots: number): string {
    const { data, codes, names } = this.core;
    const end = data.firstEdgeIndexes[stackRoots + 1];
    const isClosure = (e: number): boolean => e > edgeIndex && e < end && data.nodeTypes[data.edgeToNodes[e]] === codes.nodeClosure;
    for (let e = edgeIndex + 1; e < end; e++) {
      if (data.nodeTypes[data.edgeToNodes[e]] !== codes.nodeCode) continue;
      const name = names.rawName(data.edgeToNodes[e]);
      if (name === 'system / FeedbackVector') continue;
      let frameFunction = -1;
      if (name === 'system / BytecodeArray' && isClosure(e + 1)) frameFunction = data.edgeToNodes[e + 1];
      else if (isClosure(e - 2) && names.rawName(data.edgeToNodes[e - 1]) === 'system / Context') frameFunction = data.edgeToNodes[e - 2];
      const shared = frameFunction < 0 ? -1 : this.scopes.sharedOf(frameFunction);
      if (shared >= 0) return `on the stack of ${this.scopes.describeFunction(shared)}`;
      break;
    }
    return 'on the stack (the snapshot does not say whose frame)';
  }

  /**
   * A WeakMap entry's half (`edgeIndex` is an ephemeron edge of `holder`):
   * from the table, reported from the WeakMap with the key named; from the
   * key, with the WeakMap named.
   */
  weakMapEntry(edgeIndex: number, holder: number): CollectionEntry {
    const { core } = this;
    const { ephemerons, ids } = core;
    const nameIndex = core.data.edgeNamesOrIndexes[edgeIndex];
    const tableId = ephemerons.tableIdOf(nameIndex);
    if (core.data.nodeIds[holder] === tableId) {
      const { owner } = this.tableOwner(holder, WEAK_MAP);
      const keyId = ephemerons.keyIdOf(nameIndex);
      const key = ids.ordinalOf(keyId);
      return { owner: owner < 0 ? holder : owner, label: `WeakMap entry keyed by ${key < 0 ? `@${keyId}` : this.keyText(key)}`, ephemeron: 'map' };
    }
    const table = ids.ordinalOf(tableId);
    const map = table < 0 ? -1 : this.tableOwner(table, WEAK_MAP).owner;
    const mapText = map < 0 ? `table @${tableId}` : (this.roots.classify(map)?.label ?? `WeakMap @${core.data.nodeIds[map]}`);
    return { owner: holder, label: `key of WeakMap entry in ${mapText}`, ephemeron: 'key' };
  }

  /**
   * The collection (named as in `names`) holding `table` through its internal
   * `table` edge, or -1. The last answer is kept: a Map's entries come in runs.
   */
  private tableOwner(table: number, names: ReadonlySet<string>): { owner: number; ownerName: string } {
    const last = this.lastTable;
    if (last?.table === table && last.names === names) return last;
    const { core } = this;
    const { data, codes } = core;
    let found = { owner: -1, ownerName: '' };
    for (const r of core.retainersIterable(table)) {
      if (data.edgeTypes[r.edgeIndex] !== codes.edgeInternal || core.edgeName(r.edgeIndex) !== 'table') continue;
      const name = core.names.rawName(r.holder);
      if (names.has(name)) {
        found = { owner: r.holder, ownerName: name };
        break;
      }
    }
    this.lastTable = { table, names, ...found };
    return found;
  }

  private lastTable: { table: number; names: ReadonlySet<string>; owner: number; ownerName: string } | null = null;

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
  keyText(ordinal: number): string {
    const { names, data } = this.core;
    const preview = names.preview(ordinal);
    if (preview !== undefined) return preview;
    return `${names.displayName(ordinal)} @${data.nodeIds[ordinal]}`;
  }
}

