// The runtime layers, enforced (`npm run lint`):
//   contract  src-main/shared/ and the API contract files in src-main/api/ (contract*.ts,
//             client.ts, ipc-channels.ts): schemas and plain functions that main, preload and
//             renderer all load. No Node, no Electron, no database, nothing from the engine.
//   core      src-main/core/: the engine, plain Node. Never Electron.
//   renderer  src-renderer/: runs in a browser page. No Node, no engine; it reaches the engine
//             only through the contract's client.
//   preload   src-preload/: the Electron bridge; it may load the contract and electron only.
// And nowhere a circular import.
// tests/lint/layers.test.ts writes a violation of each rule into a fixture and checks it fires.

const CONTRACT = '^src-main/(shared/|api/(contract[^/]*|client|ipc-channels)\\.ts$)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes the import order decide what is initialised; split the shared part out.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-is-pure',
      severity: 'error',
      comment: 'The contract is loaded by the renderer and the preload too: no Node built-ins, no native or Electron modules.',
      from: { path: CONTRACT },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'contract-no-packages-with-io',
      severity: 'error',
      comment: 'The contract may use zod, not the database, Electron or a server library.',
      from: { path: CONTRACT },
      to: { path: '(^|/)node_modules/(better-sqlite3|electron|ws|@tensorflow|openai)(/|$)' },
    },
    {
      name: 'contract-no-engine',
      severity: 'error',
      comment: 'The contract imports nothing outside itself: schemas it needs from the engine move into the contract.',
      from: { path: CONTRACT },
      to: { path: '^src-', pathNot: CONTRACT },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      comment: 'The renderer runs in a page without Node.',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-only-contract',
      severity: 'error',
      comment: 'The renderer reaches the engine only through the contract (types included).',
      from: { path: '^src-renderer/' },
      to: { path: '^src-(main|preload)/', pathNot: CONTRACT },
    },
    {
      name: 'core-no-electron',
      severity: 'error',
      comment: 'The engine runs under the CLI, `serve` and the tests, where Electron is absent.',
      from: { path: '^src-main/core/' },
      to: { path: '(^|/)node_modules/electron(/|$)' },
    },
    {
      name: 'core-no-transport',
      severity: 'error',
      comment: 'The engine does not know how it is served: only the contract from src-main/api/.',
      from: { path: '^src-main/core/' },
      to: { path: '^src-main/(api|cli)/|^src-main/index\\.ts$', pathNot: CONTRACT },
    },
    {
      name: 'preload-only-contract',
      severity: 'error',
      comment: 'The preload exposes the contract over IPC and nothing else.',
      from: { path: '^src-preload/' },
      to: { pathNot: `${CONTRACT}|(^|/)node_modules/electron(/|$)|^src-preload/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a renderer that imports a type from the engine typechecks the
    // engine's files (and their Node types) with it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.svelte', '.json'] },
  },
}
