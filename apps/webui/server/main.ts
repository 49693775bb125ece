#!/usr/bin/env node
// The Switchboard web app: `node apps/webui/dist-server/main.js` (what `pnpm start` runs).
// Configuration from the environment and switchboard.config.json; see apps/webui/README.md.
import { runWebApp } from './run-web-app.js';

await runWebApp({ env: { ...process.env } });
