/**
 * ES modules as code names them: a module is Node's `ModuleWrap` (named by
 * its `url`, as `Module.filename` names a CommonJS module), its exported
 * bindings are `export name`, and a local of its top-level code waiting at
 * an `await` is held by the module.
 *
 * Heap shapes relied on (verified on Node 20 and 24 snapshots): `ModuleWrap`
 * → internal `2` → `system / SourceTextModule`, whose hidden edges reach its
 * exports table (a hash table of name, Cell pairs: a Cell at slot i has its
 * name at slot i - 1; an importing module's imports array holds the same
 * Cell) and, while its top-level code is suspended at an `await`, that
 * code's Generator (locals in `parameters_and_registers`). A module scope's
 * Context has the SourceTextModule as `extension`.
 */
import type { GraphCore } from './graphCore';
import type { CodeScopes } from './codeScopes';

const SOURCE_TEXT_MODULE = 'system / SourceTextModule';

export interface ModuleBinding {
  /** The exported name (`default` for a default export). */
  name: string;
  /** The module's root node: its ModuleWrap, else its SourceTextModule. */
  module: number;
}

export class EsModules {
  private readonly moduleRoots = new Map<number, number>();

  constructor(
    private readonly core: GraphCore,
    private readonly scopes: CodeScopes,
  ) {}

  /** Is this node an ES module's ModuleWrap (Node's handle on a SourceTextModule)? */
  isModuleWrap(ordinal: number): boolean {
    const { core } = this;
    return core.data.nodeTypes[ordinal] === core.codes.nodeObject && core.names.rawName(ordinal) === 'ModuleWrap' && this.urlOf(ordinal) !== null;
  }

  isSourceTextModule(ordinal: number): boolean {
    return this.core.names.rawName(ordinal) === SOURCE_TEXT_MODULE;
  }

  /** The node that stands for an ES module: the ModuleWrap holding this SourceTextModule, else the SourceTextModule itself. */
  moduleRoot(sourceTextModule: number): number {
    let root = this.moduleRoots.get(sourceTextModule);
    if (root !== undefined) return root;
    root = sourceTextModule;
    const { core } = this;
    for (const { edgeIndex, holder } of core.retainersIterable(sourceTextModule)) {
      if (core.data.edgeTypes[edgeIndex] === core.codes.edgeInternal && this.isModuleWrap(holder)) {
        root = holder;
        break;
      }
    }
    this.moduleRoots.set(sourceTextModule, root);
    return root;
  }

  /** The file of an ES module (ModuleWrap or SourceTextModule) as shown, or null. */
  moduleFile(module: number): string | null {
    const url = this.isModuleWrap(module) ? this.urlOf(module) : this.sourceTextModuleScript(module);
    return url === null ? null : this.scopes.displayPath(url);
  }

  /** The file of a module scope's ES module (its `extension`), or null. */
  fileOfModuleScope(context: number): string | null {
    const extension = this.core.findEdgeTarget(context, this.core.codes.edgeInternal, 'extension');
    return extension >= 0 && this.isSourceTextModule(extension) ? this.moduleFile(this.moduleRoot(extension)) : null;
  }

  /** `export name` of an ES module when `cell` is one of its exported bindings; null otherwise. */
  exportOf(cell: number): ModuleBinding | null {
    const { core } = this;
    const { data, codes } = core;
    for (const { edgeIndex, holder: table } of core.retainersIterable(cell)) {
      if (data.edgeTypes[edgeIndex] !== codes.edgeInternal || data.nodeTypes[table] !== codes.nodeArray) continue;
      const slot = Number(core.edgeName(edgeIndex));
      if (!Number.isInteger(slot) || slot < 1) continue;
      const key = core.findEdgeTarget(table, codes.edgeInternal, String(slot - 1));
      if (key < 0 || data.nodeTypes[key] !== codes.nodeString) continue;
      for (const owner of core.retainersIterable(table)) {
        if (this.isSourceTextModule(owner.holder)) return { name: core.names.rawName(key), module: this.moduleRoot(owner.holder) };
      }
    }
    return null;
  }

  /**
   * The ES module whose top-level code, suspended at an `await`, keeps its
   * locals in `registers` (its Generator's `parameters_and_registers`), or -1.
   */
  suspendedModuleOf(registers: number): number {
    const { core, scopes } = this;
    const internal = core.codes.edgeInternal;
    for (const { edgeIndex, holder: generator } of core.retainersIterable(registers)) {
      if (core.data.edgeTypes[edgeIndex] !== internal || core.edgeName(edgeIndex) !== 'parameters_and_registers') continue;
      const code = core.findEdgeTarget(generator, internal, 'function');
      const shared = code < 0 ? -1 : scopes.sharedOf(code);
      if (shared < 0 || !scopes.isTopLevel(shared)) continue;
      for (const owner of core.retainersIterable(generator)) {
        if (this.isSourceTextModule(owner.holder)) return this.moduleRoot(owner.holder);
      }
    }
    return -1;
  }

  private urlOf(moduleWrap: number): string | null {
    return this.scopes.stringAt(this.core.findEdgeTarget(moduleWrap, this.core.codes.edgeProperty, 'url'));
  }

  /** A SourceTextModule's script, through its code (a function, or the Generator running it). */
  private sourceTextModuleScript(sourceTextModule: number): string | null {
    const { core, scopes } = this;
    const { data, codes } = core;
    for (let e = data.firstEdgeIndexes[sourceTextModule]; e < data.firstEdgeIndexes[sourceTextModule + 1]; e++) {
      if (data.edgeTypes[e] !== codes.edgeHidden) continue;
      let code = data.edgeToNodes[e];
      if (data.nodeTypes[code] === codes.nodeObject && core.names.rawName(code) === 'Generator') code = core.findEdgeTarget(code, codes.edgeInternal, 'function');
      if (code >= 0 && data.nodeTypes[code] === codes.nodeClosure) {
        const shared = scopes.sharedOf(code);
        if (shared >= 0 && scopes.isTopLevel(shared)) return scopes.scriptNameOfShared(shared);
      }
    }
    return null;
  }
}
