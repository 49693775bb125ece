import { defineConfig } from 'vitest/config';

// The server's tests start the built entry (dist-server) as child processes: generous
// timeouts, since a loaded machine can take seconds to start Node and open SQLite.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
