/**
 * The node flags that run Kartu's TypeScript sources under tsx, for tests and benchmarks that start
 * a process. `--conditions=kartu-source` picks the workspace packages' src/ in their package.json
 * exports; without it Node takes their compiled dist/ (production), which may be missing or older
 * than the sources under test.
 */
export const SOURCE_NODE_FLAGS: readonly string[] = ['--conditions=kartu-source', '--import', 'tsx']
