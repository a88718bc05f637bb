/**
 * Names the places a retainer chain ends, the way code names them:
 * `globalThis.appCache`, `process.bus`, `module lib/docs.mjs`,
 * `module scope of lib/registry.js`, `Processor.instanceMap`,
 * `closure scope of createServer`, `(Stack roots)`.
 * Computed lazily and memoized: only walked nodes need labels. Which code a
 * scope or function belongs to is CodeScopes' part, ES modules EsModules'.
 */
import type { RootKind } from '../protocol/walk';
import type { GraphCore } from './graphCore';
import type { CodeScopes } from './codeScopes';
import type { EsModules } from './esModules';

export interface RootInfo {
  kind: RootKind;
  label: string;
}

const COLLECTION_NAMES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);
const DEBUGGER_ROOTS = new Set(['(Debugger)']);

export class RootClassifier {
  private readonly memo = new Map<number, RootInfo>();
  /** nodeOrdinal → 1 once classified as no root. */
  private ordinary: Uint8Array | null = null;
  /** Objects code reaches by a global name: the global object (and its proxy) as `globalThis`, Node's `process`. */
  private readonly globalNames = new Map<number, string>();

  constructor(
    private readonly core: GraphCore,
    readonly scopes: CodeScopes,
    readonly modules: EsModules,
  ) {
    const { data, codes } = core;
    for (let e = data.firstEdgeIndexes[0]; e < data.firstEdgeIndexes[1]; e++) {
      if (data.edgeTypes[e] !== codes.edgeShortcut) continue;
      const global = data.edgeToNodes[e];
      this.globalNames.set(global, 'globalThis');
      const proxy = core.findEdgeTarget(global, codes.edgeInternal, 'global_proxy');
      if (proxy >= 0) this.globalNames.set(proxy, 'globalThis');
    }
    // `process` is a global to every Node program, but an accessor on the global object: no edge says so.
    const processObject = scopes.processObject;
    if (processObject >= 0 && !this.globalNames.has(processObject)) this.globalNames.set(processObject, 'process');
    this.globalEdges = [...this.globalNames]
      .map(([global, name]) => ({ first: data.firstEdgeIndexes[global], end: data.firstEdgeIndexes[global + 1], name }))
      .sort((a, b) => a.first - b.first);
  }

  /** Each global object's edges (one range each, in edge order) and the name code gives it. */
  private readonly globalEdges: { first: number; end: number; name: string }[];

  /** Is this an object code names globally (`globalThis`, `process`), whose properties are globals too? */
  isGlobalObject(ordinal: number): boolean {
    return this.globalNames.has(ordinal);
  }

  /** Root kind and label of a node, or null for an ordinary object. */
  classify(ordinal: number): RootInfo | null {
    if (this.ordinary?.[ordinal] === 1) return null;
    const known = this.memo.get(ordinal);
    if (known !== undefined) return known;
    const info = this.compute(ordinal);
    // Most nodes are ordinary: a flag each, rather than a Map growing by the million (merged paths classify every instance of a class).
    if (info === null) (this.ordinary ??= new Uint8Array(this.core.data.nodeCount))[ordinal] = 1;
    else this.memo.set(ordinal, info);
    return info;
  }


  private compute(ordinal: number): RootInfo | null {
    const { data, codes, names } = this.core;
    const { scopes, modules } = this;
    const type = data.nodeTypes[ordinal];
    if (ordinal === 0) return { kind: 'gc-root', label: '(root)' };
    if (type === codes.nodeSynthetic) {
      const name = names.rawName(ordinal);
      return { kind: DEBUGGER_ROOTS.has(name) ? 'debugger' : 'gc-root', label: name };
    }
    const globalName = this.globalNames.get(ordinal);
    if (globalName !== undefined) return { kind: 'global', label: globalName };
    const name = names.rawName(ordinal);
    if (name === 'system / Context') return this.classifyContext(ordinal);
    if (name === 'Module' && type === codes.nodeObject) {
      const filename = this.core.findEdgeTarget(ordinal, codes.edgeProperty, 'filename');
      if (filename >= 0 && names.isString(filename)) return { kind: 'module', label: `module ${scopes.displayPath(names.stringText(filename))}` };
    }
    // An ES module: Node's ModuleWrap (named by its url, as Module.filename names a CommonJS module) and V8's record of it.
    if (modules.isModuleWrap(ordinal) || modules.isSourceTextModule(ordinal)) {
      const file = modules.moduleFile(ordinal);
      return { kind: 'module', label: file ? `module ${file}` : 'module' };
    }
    if (type === codes.nodeObject && COLLECTION_NAMES.has(name)) {
      const binding = this.staticBinding(ordinal, name !== 'Object');
      if (binding) return binding;
    }
    const property = this.globalProperty(ordinal);
    if (property !== null) return { kind: 'global', label: property };
    return null;
  }

  /**
   * A module's top-level scope, or a closure scope named after the function
   * that owns it; when the heap does not say, after the functions sharing it.
   */
  private classifyContext(context: number): RootInfo {
    const { core, scopes } = this;
    const owner = scopes.scopeOwner(context);
    if (owner !== null && owner.topLevel && !owner.block) {
      const file = this.moduleFile(context);
      return { kind: 'module', label: file ? `module scope of ${file}` : 'module scope' };
    }
    if (owner !== null) {
      const where = scopes.describeOwner(owner, context);
      return { kind: 'closure', label: owner.block ? `block scope in ${where}` : `closure scope of ${where}` };
    }
    const awaiting = scopes.awaitingFunction(context);
    if (awaiting >= 0) return { kind: 'closure', label: `await in ${scopes.describeFunction(awaiting)}` };
    // A script's scope whose ScopeInfo the heap does not explain: named variables directly under the global scope.
    const previous = core.findEdgeTarget(context, core.codes.edgeInternal, 'previous');
    if (previous >= 0 && core.names.rawName(previous) === 'system / NativeContext' && this.hasVariables(context)) {
      const file = this.moduleFile(context);
      return { kind: 'module', label: file ? `module scope of ${file}` : 'script scope' };
    }
    const functions = scopes.closuresOf(context)
      .map((closure) => core.names.rawName(closure))
      .filter((n) => n !== '');
    const unique = [...new Set(functions)];
    const shown = unique.slice(0, 3).join(', ') + (unique.length > 3 ? ', …' : '');
    return { kind: 'closure', label: shown ? `closure scope shared by ${shown}` : 'closure scope' };
  }

  /** Does the context name variables (`context` edges), as code scopes do and V8's own do not? */
  private hasVariables(context: number): boolean {
    const { data, codes } = this.core;
    for (let e = data.firstEdgeIndexes[context]; e < data.firstEdgeIndexes[context + 1]; e++) {
      if (data.edgeTypes[e] === codes.edgeContext) return true;
    }
    return false;
  }

  /** The file a module scope belongs to: its code's, else its ES module's. */
  moduleFile(context: number): string | null {
    return this.scopes.fileOfScope(this.scopes.scopeOwner(context), context) ?? this.modules.fileOfModuleScope(context);
  }

  /**
   * A Map/Set/array (or plain object, as a class static) held by a class or
   * function property, a module top-level binding or export, or a global property.
   */
  private staticBinding(collection: number, anyScope: boolean): RootInfo | null {
    const { codes, data, names } = this.core;
    let best: { info: RootInfo; distance: number } | null = null;
    const { firstRetainerIndexes, retainingEdges } = this.core.retainers;
    let holder = -1;
    for (let r = firstRetainerIndexes[collection]; r < firstRetainerIndexes[collection + 1]; r++) {
      const edgeIndex = retainingEdges[r];
      const edgeType = data.edgeTypes[edgeIndex];
      // The edge's type first, then its holder, then its name: a shared object can have a million retainers.
      if (edgeType !== codes.edgeProperty && (!anyScope || (edgeType !== codes.edgeContext && edgeType !== codes.edgeInternal))) continue;
      holder = this.core.retainers.holderAfter(edgeIndex, holder);
      let label: string | null = null;
      if (edgeType === codes.edgeProperty && data.nodeTypes[holder] === codes.nodeClosure) {
        const name = this.core.edgeName(edgeIndex);
        if (name !== 'prototype') label = `${names.rawName(holder) || '(anonymous function)'}${propertyAccess(name)}`;
      } else if (anyScope && edgeType === codes.edgeProperty && this.globalNames.has(holder)) {
        label = `${this.globalNames.get(holder)}${propertyAccess(this.core.edgeName(edgeIndex))}`;
      } else if (edgeType === codes.edgeContext && names.rawName(holder) === 'system / Context') {
        if (this.classify(holder)?.kind === 'module') {
          const name = this.core.edgeName(edgeIndex);
          const file = this.moduleFile(holder);
          label = file ? `${name} (${file})` : name;
        }
      } else if (edgeType === codes.edgeInternal && names.rawName(holder) === 'system / Cell' && this.core.edgeName(edgeIndex) === 'value') {
        const binding = this.modules.exportOf(holder);
        if (binding) {
          const file = this.modules.moduleFile(binding.module);
          label = file ? `${binding.name} (${file})` : binding.name;
        }
      }
      if (label === null) continue;
      const distance = this.core.distances[holder];
      if (!best || distance < best.distance) best = { info: { kind: 'static-map', label }, distance };
    }
    return best?.info ?? null;
  }

  /** `globalThis.appCache`, `process.bus`: a property of a global object, or null. */
  private globalProperty(ordinal: number): string | null {
    const { codes, data } = this.core;
    const { firstRetainerIndexes, retainingEdges } = this.core.retainers;
    const end = firstRetainerIndexes[ordinal + 1];
    // A node's retainers are in edge order, and a global's edges are one range: bisect to each
    // global's range instead of finding the holder of every retainer (a million, for some nodes).
    for (const global of this.globalEdges) {
      let low = firstRetainerIndexes[ordinal];
      let high = end;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (retainingEdges[mid] < global.first) low = mid + 1;
        else high = mid;
      }
      for (let r = low; r < end && retainingEdges[r] < global.end; r++) {
        if (data.edgeTypes[retainingEdges[r]] === codes.edgeProperty) return `${global.name}${propertyAccess(this.core.edgeName(retainingEdges[r]))}`;
      }
    }
    return null;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `.name` for identifiers, `[Symbol(desc)]` for symbols, `["odd key"]` otherwise. */
export function propertyAccess(name: string): string {
  if (IDENTIFIER.test(name)) return `.${name}`;
  const symbol = /^<symbol (.*)>$/.exec(name);
  if (symbol) return `[Symbol(${symbol[1]})]`;
  if (/^\d+$/.test(name)) return `[${name}]`;
  return `[${JSON.stringify(name)}]`;
}
