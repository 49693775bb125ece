import { CliError } from '../errors/cli-error.js';

/**
 * Imports a package that only some commands need and that the CLI does not
 * install with itself (an optional peer dependency: `switchboard voice`
 * needs `@switchboard/voice-session`, with its native engines). When it is
 * missing the command fails with `CLI_MISSING_PACKAGE` (exit 2) and the
 * install line, not a stack trace; any other failure while loading it is
 * rethrown as it is.
 */
export async function importOptional<T>(
  specifier: string,
  load: () => Promise<T>,
  command: string,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, specifier))
      throw new CliError({
        code: 'CLI_MISSING_PACKAGE',
        message: `'switchboard ${command}' needs ${specifier}, which is not installed.`,
        hint: `Install it next to the CLI: npm install ${specifier}`,
        cause: error,
      });
    throw error;
  }
}

/** Whether `error` says that `specifier` itself (not one of its own imports) cannot be found. */
function isMissing(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    error.message.includes(`'${specifier}'`)
  );
}
