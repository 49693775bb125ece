import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('examples', () => {
  it('serve-offline.ts runs as the README shows it and prints the streamed answer', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'examples/serve-offline.ts'],
      { cwd: packageDir, timeout: 30_000 },
    );
    expect(stdout.trim()).toBe('Hello from the API.');
  });
});
