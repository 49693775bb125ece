// Fails when a package's source has an import cycle between its own modules.
// Only imports that exist at run time count (`import type` / `export type` are
// erased by the compiler); tests are left out. A cycle means a module cannot
// be understood, or loaded, without the one that imports it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const roots = ['packages', 'apps'].flatMap((dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name)),
);

/** Source files of one project, tests and test helpers left out. */
function sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-helpers' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

// `import x from './a.js'`, `export { x } from './a.js'`, `import('./a.js')`; not `import type`.
const runtimeImport =
  /(?:^|\n)\s*(?:import(?!\s+type\b)[^'";]*?from\s*|export(?!\s+type\b)[^'";]*?from\s*|import\s*)['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function edgesOf(file) {
  const text = readFileSync(file, 'utf8');
  const targets = [];
  for (const match of text.matchAll(runtimeImport)) {
    const spec = match[1] ?? match[2];
    const base = resolve(dirname(file), spec.replace(/\.js$/, ''));
    targets.push(`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'));
  }
  return targets;
}

const cycles = [];
for (const root of roots) {
  const files = sourceFiles(join(root, 'src')).map((file) => resolve(file));
  const known = new Set(files);
  const graph = new Map(files.map((file) => [file, edgesOf(file).filter((t) => known.has(t))]));
  const state = new Map(); // 1 = on the stack, 2 = done
  const stack = [];
  const visit = (file) => {
    state.set(file, 1);
    stack.push(file);
    for (const next of graph.get(file)) {
      if (state.get(next) === 1) {
        cycles.push(stack.slice(stack.indexOf(next)).concat(next));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 2);
  };
  for (const file of files) if (!state.has(file)) visit(file);
}

if (cycles.length > 0) {
  for (const cycle of cycles) {
    console.error(
      `import cycle: ${cycle.map((file) => relative(process.cwd(), file)).join(' -> ')}`,
    );
  }
  process.exit(1);
}
console.log(`check-cycles: no import cycles in ${roots.length} projects`);
