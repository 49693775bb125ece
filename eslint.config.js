// @ts-check
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The dependency direction of DEVELOPERS.md, as data: which workspace packages
 * each project may import. Anything not listed is an error, so a new edge has
 * to be added here on purpose (and reviewed).
 *   events ← agent-core ← {tracing-plugin, voice-session, webui-server} ← apps
 * tracing-plugin needs only events; nothing imports an app.
 */
const ALLOWED_IMPORTS = {
  '@switchboard/events': [],
  '@switchboard/agent-core': ['@switchboard/events'],
  '@switchboard/tracing-plugin': ['@switchboard/events'],
  '@switchboard/voice-session': ['@switchboard/events', '@switchboard/agent-core'],
  '@switchboard/webui-server': ['@switchboard/events', '@switchboard/agent-core'],
  '@switchboard/testkit': ['@switchboard/events'],
  // PostgreSQL storage for several instances: implements the contract's and agent-core's interfaces.
  '@switchboard/postgres': ['@switchboard/events', '@switchboard/agent-core'],
  '@switchboard/cli': [
    '@switchboard/events',
    '@switchboard/agent-core',
    '@switchboard/tracing-plugin',
    '@switchboard/voice-session',
    '@switchboard/webui-server',
    '@switchboard/postgres',
  ],
  // The browser app may use only browser-safe entries (checked below); its
  // Node server (apps/webui/server) composes the rest (SERVER_PARTS).
  '@switchboard/webui': ['@switchboard/events'],
};
/**
 * Node parts of browser projects: files under `dir` are the project's server
 * and may import these packages; the rest of the project stays browser-safe
 * and may not import the server part either.
 */
const SERVER_PARTS = {
  '@switchboard/webui': {
    // server/: the Node entry; e2e/: browser tests that start it (playwright-core).
    dirs: ['server', 'e2e'],
    imports: [
      '@switchboard/events',
      '@switchboard/agent-core',
      '@switchboard/tracing-plugin',
      '@switchboard/voice-session',
      '@switchboard/webui-server',
      '@switchboard/postgres',
    ],
  },
};
/** Test files may also use the offline doubles (but the contract cannot: testkit depends on it). */
const TEST_ONLY_IMPORTS = ['@switchboard/testkit'];
/**
 * Per-project extras for test files only. The tracing plugin needs only the
 * contract, but its end-to-end tests drive a real agent to prove it.
 */
const TEST_ONLY_IMPORTS_BY_PROJECT = { '@switchboard/tracing-plugin': ['@switchboard/agent-core'] };
/** Entries of @switchboard/events that touch Node APIs; banned in the browser app. */
const NODE_ONLY_ENTRIES = ['@switchboard/events/node', '@switchboard/events/fixtures'];

const root = path.dirname(new URL(import.meta.url).pathname);
/** project directory (absolute) → package name */
const projects = new Map();
for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(path.join(root, group), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const abs = path.join(root, group, dir.name);
    try {
      projects.set(abs, JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8')).name);
    } catch {
      // not a project
    }
  }
}
const projectOf = (file) => {
  for (const [dir, name] of projects) if (file.startsWith(dir + path.sep)) return { dir, name };
  return undefined;
};
const isTestFile = (file) => /\.test\.tsx?$|[\\/]test-helpers[\\/]/.test(file);

/** @type {import('eslint').Rule.RuleModule} */
const dependencyDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the workspace dependency direction and ban deep imports.' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const project = projectOf(file);
    if (!project) return {};
    const serverPart = SERVER_PARTS[project.name];
    const serverDirs = (serverPart?.dirs ?? []).map((dir) => path.join(project.dir, dir));
    const inDirs = (target) => serverDirs.some((dir) => target.startsWith(dir + path.sep));
    const inServer = inDirs(file);
    const allowed = new Set([
      ...(inServer ? serverPart.imports : (ALLOWED_IMPORTS[project.name] ?? [])),
      ...(isTestFile(file) && project.name !== '@switchboard/events' ? TEST_ONLY_IMPORTS : []),
      ...(isTestFile(file) ? (TEST_ONLY_IMPORTS_BY_PROJECT[project.name] ?? []) : []),
    ]);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path.resolve(path.dirname(file), source);
        if (!target.startsWith(project.dir + path.sep)) {
          context.report({
            node,
            message: `Relative import '${source}' leaves ${project.name}; import the package by name.`,
          });
        } else if (!inServer && inDirs(target)) {
          context.report({
            node,
            message: `'${source}' is the Node server of ${project.name}; browser code may not import it.`,
          });
        }
        return;
      }
      const match = /^(@switchboard\/[^/]+)(\/.*)?$/.exec(source);
      if (!match) return;
      const [, pkg, subpath = ''] = match;
      if (pkg === project.name) {
        context.report({ node, message: `${project.name} must not import itself by name.` });
      } else if (/^\/(src|dist)(\/|$)/.test(subpath)) {
        context.report({
          node,
          message: `Deep import '${source}': use the package's public entries only.`,
        });
      } else if (!allowed.has(pkg)) {
        context.report({
          node,
          message: `${project.name} may not depend on ${pkg} (dependency direction: see eslint.config.js ALLOWED_IMPORTS).`,
        });
      } else if (
        project.name === '@switchboard/webui' &&
        !inServer &&
        !isTestFile(file) &&
        NODE_ONLY_ENTRIES.includes(source)
      ) {
        context.report({
          node,
          message: `'${source}' is Node-only; the web app runs in a browser.`,
        });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/test-output/**',
      '**/test-results/**',
      '.nx/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { switchboard: { rules: { 'dependency-direction': dependencyDirection } } },
    rules: {
      'switchboard/dependency-direction': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'never' }],
      'max-params': ['error', 3],
      'max-lines': ['warn', 500],
      'no-console': 'error',
    },
  },
  {
    // Universal entry of the contract: browser-safe, so no Node built-ins or native modules.
    files: ['packages/events/src/**/*.ts'],
    ignores: [
      'packages/events/src/node/**',
      'packages/events/src/fixtures/**',
      '**/*.test.ts',
      '**/test-helpers/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'Node-only code belongs in src/node (the ./node entry).' },
            {
              regex: '^better-sqlite3$',
              message: 'SQLite belongs in src/node (the ./node entry).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/bench/**', '**/test-helpers/**'],
    rules: {
      'no-console': 'off',
      'max-lines': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // The chat UI runs in a browser: browser globals, no Node built-ins.
    files: ['apps/webui/**'],
    ignores: ['apps/webui/server/**', 'apps/webui/e2e/**', 'apps/webui/*.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:',
              message: 'The chat UI runs in a browser; Node code belongs in apps/webui/server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // README examples are scripts: printing is what they are for.
    files: ['examples/**', 'packages/*/examples/**'],
    rules: { 'no-console': 'off' },
  },
);
