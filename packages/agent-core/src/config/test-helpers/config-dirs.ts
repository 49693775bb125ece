import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real temp directory laid out like a user's machine: `user/` is the home
 * directory (its `.switchboard/` the default SWITCHBOARD_HOME) and
 * `work/repo/` a git checkout (a `.git` directory) whose `packages/app/` is
 * the working directory. Disposing removes it all.
 */
export interface ConfigDirs {
  root: string;
  homeDir: string;
  /** `<homeDir>/.switchboard`. */
  switchboardHome: string;
  repo: string;
  cwd: string;
  /** Writes a file (parents created), `content` as is or as JSON. */
  write(file: string, content: unknown): string;
  [Symbol.dispose](): void;
}

/** Creates a fresh {@link ConfigDirs} under the OS temp directory. */
export function makeConfigDirs(): ConfigDirs {
  // realpath: macOS's /var is a symlink, and the loader reports resolved paths.
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'switchboard-config-')));
  const homeDir = path.join(root, 'user');
  const repo = path.join(root, 'work', 'repo');
  const cwd = path.join(repo, 'packages', 'app');
  mkdirSync(path.join(homeDir, '.switchboard'), { recursive: true });
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  return {
    root,
    homeDir,
    switchboardHome: path.join(homeDir, '.switchboard'),
    repo,
    cwd,
    write(file, content) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return file;
    },
    [Symbol.dispose]() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
