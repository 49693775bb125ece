import path from 'node:path';

/**
 * `requested` resolved against the working directory, refused when it leads
 * outside it: the file tools read without asking, so they stay in the folder
 * the user started the CLI in.
 */
export function workspacePath(root: string, requested: string): string {
  const resolved = path.resolve(root, requested);
  const relative = path.relative(root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `${requested} is outside the working directory ${root}; only files under it can be read.`,
    );
  }
  return resolved;
}
