// The built web app (dist-server) as tests run it when they need more than main.js: a
// `deploy` tool that always asks for approval, a `lookup` tool that needs none, and the
// chat UI directory from WEBUI_TEST_CLIENT_DIR (an empty directory shows the status page).
import { defineTool } from '@switchboard/agent-core';
import { z } from 'zod';
import { runWebApp } from '../../dist-server/run-web-app.js';

const deploy = defineTool({
  description: 'Deploys the app to a target.',
  inputSchema: z.object({ target: z.string() }),
  approval: 'always',
  execute: ({ target }) => `deployed to ${target} by process ${process.pid}`,
});

const lookup = defineTool({
  description: 'Looks a word up.',
  inputSchema: z.object({ word: z.string() }),
  execute: async ({ word }) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { word, meaning: `the meaning of ${word}` };
  },
});

await runWebApp({
  env: { ...process.env },
  clientDir: process.env.WEBUI_TEST_CLIENT_DIR,
  agent: { tools: { deploy, lookup } },
});
