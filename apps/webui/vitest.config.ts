import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Three suites, one `vitest run`:
// - server: the Node entry (dist-server) started as child processes;
// - components: the React UI in jsdom, fed from the golden corpus;
// - e2e: the built server and UI in Debian Chromium (playwright-core), and the bundle budget.
// Generous timeouts everywhere: a loaded 2-core machine can take seconds to start Node,
// SQLite and a browser.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'components',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          testTimeout: 30_000,
          // The corpus loader finds its files with `new URL(…, import.meta.url)`, which
          // Vite would rewrite into a dev-server path: let Node load it as it is.
          server: { deps: { external: [/events\/dist\/fixtures\//] } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 90_000,
          // Each file owns a browser and a server: two at a time is what 2 cores carry,
          // after the other projects (a group of its own may have its own worker count).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
