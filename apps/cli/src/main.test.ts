import { describe, expect, it } from 'vitest';
import { createProgram } from './create-program.js';

describe('switchboard CLI', () => {
  it('describes itself in --help', () => {
    const help = createProgram().helpInformation();
    expect(help).toContain('Usage: switchboard');
    expect(help).toContain('event contract v1');
  });

  it('prints the package version', async () => {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
    let out = '';
    const program = createProgram()
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s) });
    expect(() => program.parse(['node', 'switchboard', '--version'])).toThrow();
    expect(out.trim()).toBe(pkg.version);
  });

  it('rejects an unknown command with exit code 1', async () => {
    const { main } = await import('./main.js');
    const code = await main(['node', 'switchboard', 'no-such-command']);
    expect(code).toBe(1);
  });
});
