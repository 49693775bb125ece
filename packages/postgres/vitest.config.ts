import { defineConfig } from 'vitest/config';

// Every test file starts its own PostgreSQL cluster: a few files at a time on a 2-core machine.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, maxWorkers: 2 },
});
