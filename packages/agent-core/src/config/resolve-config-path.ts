import path from 'node:path';

/**
 * A path from the configuration made absolute: `~` and `~/…` are the home
 * directory, anything else relative is resolved against `baseDir` (the
 * directory of the file it was written in, or the working directory for
 * flags and environment variables). `~user` is not expanded.
 */
export function resolveConfigPath(value: string, baseDir: string, homeDir: string): string {
  if (value === '~') return homeDir;
  if (value.startsWith('~/') || value.startsWith(`~${path.sep}`)) {
    return path.join(homeDir, value.slice(2));
  }
  return path.resolve(baseDir, value);
}
