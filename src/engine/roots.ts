/**
 * Names the places a retainer chain ends, the way code names them (issue 2 §4):
 * `globalThis.appCache`, `module scope of lib/registry.js`,
 * `Processor.instanceMap`, `closure scope of onTick`, `(Stack roots)`.
 * Computed lazily and memoized: only walked nodes need labels.
 *
 * Heap shapes relied on (verified on Node 20 snapshots):
 *  - the synthetic root's `shortcut` edges point at the global object;
 *  - a function's scope is a `system / Context`; the one whose `previous` is
 *    the `system / NativeContext` is a script's top level, i.e. a CommonJS
 *    module wrapper's or an ES module's scope;
 *  - closure → `shared` (SharedFunctionInfo) → `script_or_debug_info`
 *    (older V8: `script`) → script node named by the file path or URL.
 */
import type { RootKind } from '../protocol/walk';
import type { GraphCore } from './graphCore';

export interface RootInfo {
  kind: RootKind;
  label: string;
}

const COLLECTION_NAMES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);
const DEBUGGER_ROOTS = new Set(['(Debugger)']);

export class RootClassifier {
  private readonly memo = new Map<number, RootInfo | null>();
  private readonly scriptNames = new Map<number, string | null>();
  private readonly globalObjects = new Set<number>();
  private scriptBase: string | null | undefined;

  constructor(private readonly core: GraphCore) {
    const { data, codes } = core;
    for (let e = data.firstEdgeIndexes[0]; e < data.firstEdgeIndexes[1]; e++) {
      if (data.edgeTypes[e] !== codes.edgeShortcut) continue;
      const global = data.edgeToNodes[e];
      this.globalObjects.add(global);
      const proxy = core.findEdgeTarget(global, codes.edgeInternal, 'global_proxy');
      if (proxy >= 0) this.globalObjects.add(proxy);
    }
  }

  isGlobalObject(ordinal: number): boolean {
    return this.globalObjects.has(ordinal);
  }

  /** Root kind and label of a node, or null for an ordinary object. */
  classify(ordinal: number): RootInfo | null {
    let info = this.memo.get(ordinal);
    if (info === undefined) {
      info = this.compute(ordinal);
      this.memo.set(ordinal, info);
    }
    return info;
  }

  private compute(ordinal: number): RootInfo | null {
    const { data, codes, names } = this.core;
    const type = data.nodeTypes[ordinal];
    if (ordinal === 0) return { kind: 'gc-root', label: '(root)' };
    if (type === codes.nodeSynthetic) {
      const name = names.rawName(ordinal);
      return { kind: DEBUGGER_ROOTS.has(name) ? 'debugger' : 'gc-root', label: name };
    }
    if (this.globalObjects.has(ordinal)) return { kind: 'global', label: 'globalThis' };
    const name = names.rawName(ordinal);
    if (name === 'system / Context') return this.classifyContext(ordinal);
    if (name === 'Module' && type === codes.nodeObject) {
      const filename = this.stringProperty(ordinal, 'filename');
      if (filename !== null) return { kind: 'module', label: `module ${this.relativePath(filename)}` };
    }
    if (type === codes.nodeObject && COLLECTION_NAMES.has(name)) {
      const binding = this.staticBinding(ordinal, name !== 'Object');
      if (binding) return binding;
    }
    const globalName = this.globalPropertyName(ordinal);
    if (globalName !== null) return { kind: 'global', label: `globalThis${propertyAccess(globalName)}` };
    return null;
  }

  /** A module's top-level scope, or a closure scope named after the functions sharing it. */
  private classifyContext(context: number): RootInfo {
    const { codes } = this.core;
    const previous = this.core.findEdgeTarget(context, codes.edgeInternal, 'previous');
    if (previous >= 0 && this.core.names.rawName(previous) === 'system / NativeContext') {
      const file = this.moduleFile(context);
      return { kind: 'module', label: file ? `module scope of ${file}` : 'module scope' };
    }
    const functions = this.closuresOf(context)
      .map((closure) => this.core.names.rawName(closure))
      .filter((n) => n !== '');
    const unique = [...new Set(functions)];
    const shown = unique.slice(0, 3).join(', ') + (unique.length > 3 ? ', …' : '');
    return { kind: 'closure', label: shown ? `closure scope of ${shown}` : 'closure scope' };
  }

  /** Functions whose scope is this context (their `context` edge points at it). */
  closuresOf(context: number): number[] {
    const { codes, data } = this.core;
    const result: number[] = [];
    for (const { edgeIndex, holder } of this.core.retainersIterable(context)) {
      if (data.nodeTypes[holder] === codes.nodeClosure && data.edgeTypes[edgeIndex] === codes.edgeInternal && this.core.edgeName(edgeIndex) === 'context') {
        result.push(holder);
      }
    }
    return result;
  }

  /** The file a module scope belongs to, relative to the main module's folder when known. */
  moduleFile(context: number): string | null {
    for (const closure of this.closuresOf(context)) {
      const script = this.scriptNameOf(closure);
      if (script) return this.relativePath(script);
    }
    return null;
  }

  /** The script name (file path or URL) a function was compiled from, or null. */
  scriptNameOf(closure: number): string | null {
    let name = this.scriptNames.get(closure);
    if (name !== undefined) return name;
    name = null;
    const { codes } = this.core;
    const shared = this.core.findEdgeTarget(closure, codes.edgeInternal, 'shared');
    if (shared >= 0) {
      let script = this.core.findEdgeTarget(shared, codes.edgeInternal, 'script_or_debug_info');
      if (script < 0) script = this.core.findEdgeTarget(shared, codes.edgeInternal, 'script');
      if (script >= 0 && this.core.names.rawName(script) === 'system / DebugInfo') {
        script = this.core.findEdgeTarget(script, codes.edgeInternal, 'script');
      }
      if (script >= 0) {
        const nameString = this.core.findEdgeTarget(script, codes.edgeInternal, 'name');
        const raw = nameString >= 0 && this.core.names.isString(nameString) ? this.core.names.rawName(nameString) : this.core.names.rawName(script);
        name = raw || null;
      }
    }
    this.scriptNames.set(closure, name);
    return name;
  }

  /**
   * A Map/Set/array (or plain object, as a class static) held by a class or
   * function property, a module top-level binding or a global property.
   */
  private staticBinding(collection: number, anyScope: boolean): RootInfo | null {
    const { codes, data, names } = this.core;
    let best: { info: RootInfo; distance: number } | null = null;
    for (const { edgeIndex, holder } of this.core.retainersIterable(collection)) {
      if (!this.core.isStrong(edgeIndex)) continue;
      const edgeType = data.edgeTypes[edgeIndex];
      const name = this.core.edgeName(edgeIndex);
      let label: string | null = null;
      if (edgeType === codes.edgeProperty && data.nodeTypes[holder] === codes.nodeClosure && name !== 'prototype') {
        label = `${names.rawName(holder) || '(anonymous function)'}${propertyAccess(name)}`;
      } else if (anyScope && edgeType === codes.edgeProperty && this.globalObjects.has(holder)) {
        label = `globalThis${propertyAccess(name)}`;
      } else if (anyScope && edgeType === codes.edgeContext && names.rawName(holder) === 'system / Context') {
        const scope = this.classify(holder);
        if (scope?.kind === 'module') {
          const file = this.moduleFile(holder);
          label = file ? `${name} (${file})` : name;
        }
      }
      if (label === null) continue;
      const distance = this.core.distances[holder];
      if (!best || distance < best.distance) best = { info: { kind: 'static-map', label }, distance };
    }
    return best?.info ?? null;
  }

  private globalPropertyName(ordinal: number): string | null {
    const { codes, data } = this.core;
    const { firstRetainerIndexes, retainingEdges } = this.core.retainers;
    for (let r = firstRetainerIndexes[ordinal]; r < firstRetainerIndexes[ordinal + 1]; r++) {
      const edgeIndex = retainingEdges[r];
      // Edge type first: finding the holder costs a search.
      if (data.edgeTypes[edgeIndex] !== codes.edgeProperty) continue;
      if (this.globalObjects.has(this.core.retainers.holderOf(edgeIndex))) return this.core.edgeName(edgeIndex);
    }
    return null;
  }

  /** Paths relative to the main module's folder (`require.main`), else the basename. */
  private relativePath(script: string): string {
    const path = script.startsWith('file://') ? decodeURIComponent(script.slice('file://'.length)) : script;
    if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) return script;
    const base = this.mainModuleDir();
    if (base !== null && path.startsWith(base)) return path.slice(base.length);
    return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  }

  /** A property's value when it is a string, else null. */
  private stringProperty(ordinal: number, property: string): string | null {
    const value = this.core.findEdgeTarget(ordinal, this.core.codes.edgeProperty, property);
    return value >= 0 && this.core.names.isString(value) ? this.core.names.rawName(value) : null;
  }

  /** Folder of `process.mainModule.filename`, with a trailing separator, or null (ES modules). */
  private mainModuleDir(): string | null {
    if (this.scriptBase !== undefined) return this.scriptBase;
    this.scriptBase = null;
    const processObject = this.findProcessObject();
    const mainModule = processObject < 0 ? -1 : this.core.findEdgeTarget(processObject, this.core.codes.edgeProperty, 'mainModule');
    const file = mainModule < 0 ? null : this.stringProperty(mainModule, 'filename');
    if (file !== null) {
      const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
      if (cut >= 0) this.scriptBase = file.slice(0, cut + 1);
    }
    return this.scriptBase;
  }

  /**
   * Node's `process` object: Node's realm (a native node a few steps below
   * the synthetic root) holds it as `process_object`; `globalThis.process` is
   * an accessor, so the global object has no edge to it.
   */
  private findProcessObject(): number {
    const { data, codes } = this.core;
    const native = data.nodeTypeNames.indexOf('native');
    let frontier = [0];
    const seen = new Set<number>(frontier);
    for (let level = 0; level < 4 && frontier.length > 0; level++) {
      const next: number[] = [];
      for (const ordinal of frontier) {
        for (let e = data.firstEdgeIndexes[ordinal]; e < data.firstEdgeIndexes[ordinal + 1]; e++) {
          const to = data.edgeToNodes[e];
          if (data.edgeTypes[e] === codes.edgeInternal && this.core.edgeName(e) === 'process_object') return to;
          const type = data.nodeTypes[to];
          if (!seen.has(to) && (type === codes.nodeSynthetic || type === native)) {
            seen.add(to);
            next.push(to);
          }
        }
      }
      frontier = next;
    }
    return -1;
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
