/**
 * Where heap objects sit in the code: the function a scope belongs to and
 * the file a function was compiled from (ES modules: esModules.ts).
 * Everything is found from the node outwards (a few edges and retainers) and
 * memoized: only walked nodes ask.
 *
 * Heap shapes relied on (verified on Node 20 and 24 snapshots):
 *  - a Context's `scope_info` is the ScopeInfo of the function whose call
 *    created it; that function's SharedFunctionInfo (a `code` node named after
 *    the function, "(shared function info)" when anonymous) holds the same
 *    ScopeInfo as `name_or_scope_info`. A function that ran once (a setup
 *    function, say) is often collected while the closures it made keep its
 *    scope; the ScopeInfo still says the name (below);
 *  - a ScopeInfo's hidden edges are numbered by heap-object slot, so a slot
 *    holding undefined leaves a gap. A function's ScopeInfo ends its strings
 *    with its name ("" when anonymous) and an inferred name (`obj.method`,
 *    else undefined), then the enclosing scope's ScopeInfo; a block's (loop
 *    body, `catch`, a body with default parameters) has only its variable
 *    names before it;
 *  - a script's top-level code (a CommonJS module wrapper, an ES module body)
 *    is an anonymous function whose ScopeInfo has no enclosing ScopeInfo;
 *    V8's own scopes (an `await`'s resume functions) have no slots at all;
 *  - SharedFunctionInfo → `script_or_debug_info` (older V8: `script`, or
 *    through a DebugInfo) → script node named by its file path or URL.
 */
import type { GraphCore } from './graphCore';
import type { TypeCodes } from './edgeTypes';
import type { HeapSnapshotData } from './snapshotData';

const SCOPE_INFO = 'system / ScopeInfo';
/** Enclosing scopes followed from a block scope to its function. */
const MAX_BLOCK_DEPTH = 16;
/** ScopeInfos searched for a function compiled inside a scope, to name its file. */
const MAX_INNER_SCOPES = 64;

export interface ScopeOwner {
  /** The owning function's SharedFunctionInfo, or -1 once it was collected. */
  shared: number;
  /** The function's name, '' when anonymous. */
  name: string;
  /** A script's top-level code: a CommonJS module wrapper, an ES module body. */
  topLevel: boolean;
  /** The scope is a block (loop body, `catch`, …) inside that function. */
  block: boolean;
}

export class CodeScopes {
  /** ScopeInfo → its owner's SharedFunctionInfo, or -1 (a block's, or its function was collected). */
  private readonly owners = new Map<number, number>();
  /** Edge name index → is it `name_or_scope_info`? (A hot function's ScopeInfo has a retainer per live Context.) */
  private readonly ownerEdgeNames = new Map<number, boolean>();
  private readonly functionScopeEdgeNames = new Map<number, boolean>();
  private readonly scriptNames = new Map<number, string | null>();
  private base: string | null | undefined;

  /** `process`: Node's process object (findProcessObject), when the caller found it already. */
  constructor(
    private readonly core: GraphCore,
    private process?: number,
  ) {}

  /**
   * The function whose scope `context` is (or a block of whose scope), or
   * null when the heap does not say, or when V8 made the scope for its own
   * functions (an `await`'s resume functions, say).
   */
  scopeOwner(context: number): ScopeOwner | null {
    let scopeInfo = this.core.findEdgeTarget(context, this.core.codes.edgeInternal, 'scope_info');
    let block = false;
    for (let depth = 0; scopeInfo >= 0 && depth < MAX_BLOCK_DEPTH; depth++) {
      const shared = this.ownerOfScopeInfo(scopeInfo);
      if (shared >= 0) return { shared, name: this.functionName(shared), topLevel: this.isTopLevel(shared), block };
      const { outer, functionName, anonymous } = this.readScopeInfo(scopeInfo);
      // A script's top level reserves a name slot too (""); V8's own scopes have no slots at all.
      if (outer < 0) return anonymous ? { shared: -1, name: '', topLevel: true, block } : null;
      if (functionName !== null) return { shared: -1, name: functionName, topLevel: false, block };
      block = true;
      scopeInfo = outer;
    }
    return null;
  }

  /** The function an `await` context resumes (its `extension` is the suspended function's Generator), or -1. */
  awaitingFunction(context: number): number {
    const { core } = this;
    const internal = core.codes.edgeInternal;
    const generator = core.findEdgeTarget(context, internal, 'extension');
    if (generator < 0 || core.data.nodeTypes[generator] !== core.codes.nodeObject) return -1;
    const code = core.findEdgeTarget(generator, internal, 'function');
    return code >= 0 && core.data.nodeTypes[code] === core.codes.nodeClosure ? this.sharedOf(code) : -1;
  }

  /**
   * A scope's owner as a reader knows it: `createServer`, `lib/x.js
   * top-level code`, `(anonymous function) in lib/x.js`.
   */
  describeOwner(owner: ScopeOwner, context: number): string {
    if (owner.name !== '') return owner.name;
    const file = this.fileOfScope(owner, context);
    if (owner.topLevel) return file ? `${file} top-level code` : 'top-level code';
    return file ? `(anonymous function) in ${file}` : '(anonymous function)';
  }

  /** A function's name, '' when anonymous. */
  functionName(shared: number): string {
    const name = this.core.names.rawName(shared);
    return name === '(shared function info)' ? '' : name;
  }

  /** Is this SharedFunctionInfo a script's top-level code (a CommonJS module wrapper, an ES module body)? */
  isTopLevel(shared: number): boolean {
    if (this.functionName(shared) !== '') return false;
    const scopeInfo = this.core.findEdgeTarget(shared, this.core.codes.edgeInternal, 'name_or_scope_info');
    return scopeInfo >= 0 && this.core.names.rawName(scopeInfo) === SCOPE_INFO && this.readScopeInfo(scopeInfo).outer < 0;
  }

  /** A function as a reader knows it (see describeOwner). */
  describeFunction(shared: number): string {
    return this.describeOwner({ shared, name: this.functionName(shared), topLevel: this.isTopLevel(shared), block: false }, -1);
  }

  /** The SharedFunctionInfo of a closure, or -1. */
  sharedOf(closure: number): number {
    return this.core.findEdgeTarget(closure, this.core.codes.edgeInternal, 'shared');
  }

  /** The script name (file path or URL) a function was compiled from, or null. */
  scriptNameOf(closure: number): string | null {
    const shared = this.sharedOf(closure);
    return shared < 0 ? null : this.scriptNameOfShared(shared);
  }

  scriptNameOfShared(shared: number): string | null {
    let name = this.scriptNames.get(shared);
    if (name !== undefined) return name;
    name = null;
    const { core } = this;
    const internal = core.codes.edgeInternal;
    let script = core.findEdgeTarget(shared, internal, 'script_or_debug_info');
    if (script < 0) script = core.findEdgeTarget(shared, internal, 'script');
    if (script >= 0 && core.names.rawName(script) === 'system / DebugInfo') script = core.findEdgeTarget(script, internal, 'script');
    if (script >= 0) {
      const nameString = core.findEdgeTarget(script, internal, 'name');
      const raw = nameString >= 0 && core.names.isString(nameString) ? core.names.rawName(nameString) : core.names.rawName(script);
      name = raw || null;
    }
    this.scriptNames.set(shared, name);
    return name;
  }

  /** The file of a function as shown (relative to the main script's folder), or null. */
  fileOfShared(shared: number): string | null {
    const script = this.scriptNameOfShared(shared);
    return script === null ? null : this.displayPath(script);
  }

  /**
   * The file of a scope: its owner's, else that of a function sharing it,
   * else that of any function compiled inside it (their ScopeInfos and
   * SharedFunctionInfos hold this ScopeInfo as the enclosing one).
   */
  fileOfScope(owner: ScopeOwner | null, context: number): string | null {
    if (owner !== null && owner.shared >= 0) {
      const file = this.fileOfShared(owner.shared);
      if (file) return file;
    }
    for (const closure of context < 0 ? [] : this.closuresOf(context)) {
      const script = this.scriptNameOf(closure);
      if (script) return this.displayPath(script);
    }
    const scopeInfo = context < 0 ? -1 : this.core.findEdgeTarget(context, this.core.codes.edgeInternal, 'scope_info');
    return scopeInfo < 0 ? null : this.fileOfInnerFunctions(scopeInfo);
  }

  private fileOfInnerFunctions(scopeInfo: number): string | null {
    const { core } = this;
    const { data, codes } = core;
    const { firstRetainerIndexes, retainingEdges } = core.retainers;
    const queue = [scopeInfo];
    const seen = new Set(queue);
    for (let head = 0; head < queue.length && head < MAX_INNER_SCOPES; head++) {
      // Edge first: a hot function's ScopeInfo is also held by each of its live Contexts.
      for (let r = firstRetainerIndexes[queue[head]]; r < firstRetainerIndexes[queue[head] + 1]; r++) {
        const edgeIndex = retainingEdges[r];
        const inner = data.edgeTypes[edgeIndex] === codes.edgeHidden;
        if (!inner && !(data.edgeTypes[edgeIndex] === codes.edgeInternal && this.isFunctionScopeEdge(data.edgeNamesOrIndexes[edgeIndex]))) continue;
        const holder = core.retainers.holderOf(edgeIndex);
        if (seen.has(holder) || data.nodeTypes[holder] !== codes.nodeCode) continue;
        seen.add(holder);
        if (core.names.rawName(holder) === SCOPE_INFO) {
          queue.push(holder);
        } else if (!inner) {
          const file = this.fileOfShared(holder);
          if (file) return file;
        }
      }
    }
    return null;
  }

  /** A SharedFunctionInfo's edge to its own or its enclosing ScopeInfo. */
  private isFunctionScopeEdge(nameIndex: number): boolean {
    let known = this.functionScopeEdgeNames.get(nameIndex);
    if (known === undefined) {
      const name = this.core.data.strings.get(nameIndex);
      known = name === 'name_or_scope_info' || name === 'raw_outer_scope_info_or_feedback_metadata';
      this.functionScopeEdgeNames.set(nameIndex, known);
    }
    return known;
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

  /**
   * Node's `process` object, or -1. Node's realm (a native node a few steps
   * below the synthetic root) holds it as `process_object`;
   * `globalThis.process` is an accessor, so the global object has no edge to it.
   */
  get processObject(): number {
    this.process ??= findProcessObject(this.core.data, this.core.codes);
    return this.process;
  }

  /**
   * Paths relative to the main script's folder; a package's files from
   * their `node_modules` folder on (`node_modules/eslint/lib/eslint/eslint.js`);
   * `node:` ids and other URLs as written; else the basename.
   */
  displayPath(script: string): string {
    const path = script.startsWith('file://') ? decodeURIComponent(script.slice('file://'.length)) : script;
    if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) return script;
    const base = this.mainScriptDir();
    if (base !== null && path.startsWith(base)) return path.slice(base.length);
    const packages = Math.max(path.lastIndexOf('/node_modules/'), path.lastIndexOf('\\node_modules\\'));
    if (packages >= 0) return path.slice(packages + 1);
    return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  }

  private ownerOfScopeInfo(scopeInfo: number): number {
    let owner = this.owners.get(scopeInfo);
    if (owner !== undefined) return owner;
    owner = -1;
    const { core } = this;
    const { data, codes } = core;
    const { firstRetainerIndexes, retainingEdges } = core.retainers;
    for (let r = firstRetainerIndexes[scopeInfo]; r < firstRetainerIndexes[scopeInfo + 1]; r++) {
      const edgeIndex = retainingEdges[r];
      if (data.edgeTypes[edgeIndex] !== codes.edgeInternal) continue;
      const nameIndex = data.edgeNamesOrIndexes[edgeIndex];
      let isOwnerEdge = this.ownerEdgeNames.get(nameIndex);
      if (isOwnerEdge === undefined) {
        isOwnerEdge = data.strings.get(nameIndex) === 'name_or_scope_info';
        this.ownerEdgeNames.set(nameIndex, isOwnerEdge);
      }
      if (isOwnerEdge) {
        owner = core.retainers.holderOf(edgeIndex);
        break;
      }
    }
    this.owners.set(scopeInfo, owner);
    return owner;
  }

  /**
   * The enclosing scope's ScopeInfo (-1 at a script's top level); the
   * function's name when this is a function's scope (null for a block's):
   * the string before an undefined inferred name, or an inferred name after
   * ""; and whether it has an empty name slot.
   */
  private readScopeInfo(scopeInfo: number): { outer: number; functionName: string | null; anonymous: boolean } {
    const { data, codes, names } = this.core;
    const first = data.firstEdgeIndexes[scopeInfo];
    const stringAt = (edge: number, slot: number): string | null =>
      edge >= first && data.edgeTypes[edge] === codes.edgeHidden && data.edgeNamesOrIndexes[edge] === slot && data.nodeTypes[data.edgeToNodes[edge]] === codes.nodeString ? names.rawName(data.edgeToNodes[edge]) : null;
    let anonymous = false;
    for (let e = first; e < data.firstEdgeIndexes[scopeInfo + 1]; e++) {
      if (data.edgeTypes[e] !== codes.edgeHidden) continue;
      const to = data.edgeToNodes[e];
      if (data.nodeTypes[to] === codes.nodeString && names.rawName(to) === '') anonymous = true;
      if (names.rawName(to) !== SCOPE_INFO) continue;
      const slot = data.edgeNamesOrIndexes[e];
      let functionName = stringAt(e - 1, slot - 2);
      if (functionName === null && stringAt(e - 2, slot - 2) === '') functionName = stringAt(e - 1, slot - 1);
      return { outer: to, functionName, anonymous };
    }
    return { outer: -1, functionName: null, anonymous };
  }

  /**
   * Folder of the main script, with a trailing separator, or null:
   * `process.mainModule.filename` for CommonJS, `process.argv[1]` (which
   * Node resolves to an absolute path) for ES modules.
   */
  private mainScriptDir(): string | null {
    if (this.base !== undefined) return this.base;
    this.base = null;
    const { core } = this;
    const { edgeProperty, edgeElement } = core.codes;
    const processObject = this.processObject;
    let file: string | null = null;
    if (processObject >= 0) {
      const mainModule = core.findEdgeTarget(processObject, edgeProperty, 'mainModule');
      file = mainModule < 0 ? null : this.stringAt(core.findEdgeTarget(mainModule, edgeProperty, 'filename'));
      if (file === null) {
        const argv = core.findEdgeTarget(processObject, edgeProperty, 'argv');
        file = argv < 0 ? null : this.stringAt(core.findEdgeTarget(argv, edgeElement, '1'));
      }
    }
    if (file !== null) {
      const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
      if (cut >= 0) this.base = file.slice(0, cut + 1);
    }
    return this.base;
  }

  /** A string's text (Node builds some paths by concatenation), or null. */
  stringAt(ordinal: number): string | null {
    return ordinal >= 0 && this.core.names.isString(ordinal) ? this.core.names.stringText(ordinal) : null;
  }
}

/**
 * CodeScopes.processObject, from the snapshot alone (so it can be found
 * before the retainer rows are there). Decodes each edge name once: the
 * roots' internal edges are tens of thousands.
 */
export function findProcessObject(data: HeapSnapshotData, codes: TypeCodes): number {
  const native = data.nodeTypeNames.indexOf('native');
  // Per name string: 0 not read yet, 1 `process_object`, 2 another name.
  const isProcessObject = new Uint8Array(data.strings.length);
  let frontier = [0];
  const seen = new Set<number>(frontier);
  for (let level = 0; level < 4 && frontier.length > 0; level++) {
    const next: number[] = [];
    for (const ordinal of frontier) {
      for (let e = data.firstEdgeIndexes[ordinal]; e < data.firstEdgeIndexes[ordinal + 1]; e++) {
        const to = data.edgeToNodes[e];
        if (data.edgeTypes[e] === codes.edgeInternal) {
          const name = data.edgeNamesOrIndexes[e];
          if (isProcessObject[name] === 0) isProcessObject[name] = data.strings.get(name) === 'process_object' ? 1 : 2;
          if (isProcessObject[name] === 1) return to;
        }
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
