import { describe, expect, it } from 'vitest';
import { CliError } from '../errors/cli-error.js';
import { importOptional } from './import-optional.js';

describe('importOptional', () => {
  it('loads a package that is installed', async () => {
    const zod = await importOptional('zod', () => import('zod'), 'voice');
    expect(typeof zod.z.object).toBe('function');
  });

  it('names the missing package and how to install it (CLI_MISSING_PACKAGE, exit 2)', async () => {
    const specifier = '@switchboard/not-installed-package';
    const error = await importOptional(specifier, () => import(specifier), 'voice').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      code: 'CLI_MISSING_PACKAGE',
      exitCode: 2,
      hint: `Install it next to the CLI: npm install ${specifier}`,
    });
  });

  it('rethrows any other failure unchanged', async () => {
    const broken = new Error('native binding failed');
    await expect(
      importOptional('@switchboard/voice-session', () => Promise.reject(broken), 'voice'),
    ).rejects.toBe(broken);
  });
});
