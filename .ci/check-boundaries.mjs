// Proves the dependency-direction lint rule bites: writes small probe files
// into real projects, lints them with the repo's config, expects exactly the
// violations planted, and removes them again.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });
const cases = [
  {
    file: 'packages/tracing-plugin/src/probe.ts',
    code: "import { createAgent } from '@switchboard/agent-core';\nexport const x = createAgent;\n",
    expect: /may not depend on @switchboard\/agent-core/,
  },
  {
    file: 'packages/events/src/probe.ts',
    code: "export const x = await import('@switchboard/agent-core');\n",
    expect: /may not depend on @switchboard\/agent-core/,
  },
  {
    file: 'packages/agent-core/src/probe.ts',
    code: "import { x } from '@switchboard/events/src/index.js';\nexport const y = x;\n",
    expect: /Deep import/,
  },
  {
    file: 'packages/agent-core/src/probe.ts',
    code: "import { x } from '../../events/src/index.js';\nexport const y = x;\n",
    expect: /leaves @switchboard\/agent-core/,
  },
  {
    file: 'apps/webui/src/probe.ts',
    code: "import { JsonlSink } from '@switchboard/events/node';\nexport const y = JsonlSink;\n",
    expect: /Node-only/,
  },
  {
    file: 'packages/events/src/probe.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    expect: /src\/node/,
  },
  {
    file: 'packages/agent-core/src/probe.ts',
    code: "import { EventBus } from '@switchboard/events';\nexport const y = EventBus;\n",
    expect: null,
  },
  // The web server gets tracing and voice injected (plugins option); it never imports them.
  {
    file: 'packages/webui-server/src/probe.ts',
    code: "import { x } from '@switchboard/tracing-plugin';\nexport const y = x;\n",
    expect: /may not depend on @switchboard\/tracing-plugin/,
  },
  {
    file: 'packages/webui-server/src/probe.ts',
    code: "import { createAgent } from '@switchboard/agent-core';\nexport const y = createAgent;\n",
    expect: null,
  },
  // The web app: its Node server composes the server packages; the browser part may not.
  {
    file: 'apps/webui/server/probe.ts',
    code: "import { createServer } from '@switchboard/webui-server';\nimport { SqliteEventLog } from '@switchboard/events/node';\nexport const x = [createServer, SqliteEventLog];\n",
    expect: null,
  },
  {
    file: 'apps/webui/src/probe.ts',
    code: "import { createAgent } from '@switchboard/agent-core';\nexport const x = createAgent;\n",
    expect: /may not depend on @switchboard\/agent-core/,
  },
  {
    file: 'apps/webui/src/probe.ts',
    code: "import { runWebApp } from '../server/run-web-app.js';\nexport const x = runWebApp;\n",
    expect: /browser code may not import it/,
  },
  {
    file: 'apps/webui/src/probe.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    expect: /runs in a browser/,
  },
  // The chat UI's component tests read the golden corpus (Node-only); its source may not (above).
  {
    file: 'apps/webui/src/probe.ts',
    test: true,
    code: "import { loadFixture } from '@switchboard/events/fixtures';\nexport const x = loadFixture;\n",
    expect: null,
  },
  // Its browser tests (e2e/) start the Node server like the server's own tests do.
  {
    file: 'apps/webui/e2e/probe.ts',
    code: "import { spawnWebApp } from '../server/test-helpers/web-app-process.js';\nexport const x = spawnWebApp;\n",
    expect: null,
  },
  // The tracing plugin's own tests may drive a real agent; its source may not (first case).
  {
    file: 'packages/tracing-plugin/src/probe.ts',
    test: true,
    code: "import { createAgent } from '@switchboard/agent-core';\nexport const x = createAgent;\n",
    expect: null,
  },
];
let passed = 0;
let failed = 0;
for (const [index, probe] of cases.entries()) {
  const file = probe.file.replace(
    'probe.ts',
    `boundary-probe-${index}${probe.test ? '.test' : ''}.ts`,
  );
  let result;
  try {
    writeFileSync(file, probe.code);
    [result] = await eslint.lintFiles([file]);
  } finally {
    rmSync(file, { force: true });
  }
  const messages = (result?.messages ?? []).filter(
    (m) => m.ruleId === 'switchboard/dependency-direction' || m.ruleId === 'no-restricted-imports',
  );
  const ok = probe.expect
    ? messages.some((m) => probe.expect.test(m.message))
    : messages.length === 0;
  if (ok) passed += 1;
  else {
    failed += 1;
    console.error(
      `boundary check failed for ${file}: ${probe.code.split('\n')[0]} -> ${JSON.stringify(messages.map((m) => m.message))}`,
    );
  }
}
console.log(`boundaries: ${passed} passed, ${failed} failed`);
mkdirSync('test-results', { recursive: true });
writeFileSync(
  'test-results/boundaries.json',
  JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0 }),
);
process.exit(failed > 0 ? 1 : 0);
