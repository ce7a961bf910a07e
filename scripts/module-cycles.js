#!/usr/bin/env node
/*
 * Fails when src/ has an import cycle, at two levels:
 * - between files: what `madge --circular` reports;
 * - between modules (the folders of src/): a module that imports another must not be imported back by
 *   it, directly or through others. The kernel (src/kernel) sits under every module and imports none.
 * Type-only imports count: a module that names another's types depends on it.
 *
 * The platform folders below are left out of the module graph (their files' cycles are still checked):
 * they sit under every module and also hold the application's composition, which lists every module
 * by design (database/entities.ts every entity, graphql/resolvers.ts every resolver, the request
 * loaders every service). Top-level files (app.module.ts, main.ts, server.ts) are that composition too.
 *
 * `npm run lint` runs it (so CI does): `node scripts/module-cycles.js [dir]`, dir defaulting to src.
 */
const path = require('node:path');
const madge = require('madge');

const PLATFORM = ['common', 'config', 'database', 'graphql', 'graphql-ide', 'health', 'jobs', 'metrics'];

/** The strongly connected components (of two or more nodes) of a graph given as node → Set of nodes. */
function cyclesOf(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** `{ fileCycles, moduleCycles }`: each module cycle names its modules and the imports that close it. */
async function findCycles(dir, { platform = PLATFORM } = {}) {
  const result = await madge(dir, {
    fileExtensions: ['ts'],
    excludeRegExp: [/\.d\.ts$/],
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  // Files outside dir (test/support helpers a spec imports) belong to no module.
  const moduleOf = (file) => (file.includes('/') && !file.startsWith('..') ? file.split('/')[0] : null);
  const graph = new Map();
  const imports = new Map();
  for (const [file, dependencies] of Object.entries(result.obj())) {
    const from = moduleOf(file);
    if (!from || platform.includes(from)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const dependency of dependencies) {
      const to = moduleOf(dependency);
      if (!to || to === from || platform.includes(to)) continue;
      graph.get(from).add(to);
      const edge = `${from} → ${to}`;
      imports.set(edge, [...(imports.get(edge) ?? []), `${file} → ${dependency}`]);
    }
  }
  const moduleCycles = cyclesOf(graph).map((modules) => ({
    modules,
    imports: [...imports.entries()]
      .filter(([edge]) => modules.includes(edge.split(' → ')[0]) && modules.includes(edge.split(' → ')[1]))
      .flatMap(([, list]) => list),
  }));
  return { fileCycles: result.circular(), moduleCycles };
}

async function main() {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'src'));
  const { fileCycles, moduleCycles } = await findCycles(dir);
  for (const cycle of fileCycles) console.error(`file import cycle: ${cycle.join(' → ')} → ${cycle[0]}`);
  for (const cycle of moduleCycles) {
    console.error(`module import cycle: {${cycle.modules.join(', ')}}, through:`);
    for (const line of cycle.imports) console.error(`  ${line}`);
  }
  if (fileCycles.length || moduleCycles.length) {
    process.exitCode = 1;
    return;
  }
  console.log(`no import cycle between the files or the modules of ${path.relative(process.cwd(), dir) || '.'}`);
}

if (require.main === module) main();

module.exports = { findCycles, PLATFORM };
