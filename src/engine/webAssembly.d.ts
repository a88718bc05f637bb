// The part of the WebAssembly JS API that numberScanner.ts uses. Node and
// every browser have it; TypeScript declares it only in its DOM libraries,
// which the engine does not load.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: object;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  class Global {
    value: unknown;
  }
}
