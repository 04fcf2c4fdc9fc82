// Node runs WebAssembly, but TypeScript declares it only in its DOM and worker libs, which the
// engine's tsconfig leaves out so that a browser global in engine code fails to typecheck. This
// is the part wasm-kernels.ts uses.
declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer
  }
  interface Module {}
  var Module: { new (bytes: ArrayBufferView | ArrayBuffer): Module }
  interface Instance {
    readonly exports: Record<string, unknown>
  }
  var Instance: { new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance }
}
