import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { defineTool, type AgentTool } from '@switchboard/agent-core';
import { z } from 'zod';
import { workspacePath } from './workspace-path.js';

/** Largest file `read_file` returns, in characters; longer files are cut with a note. */
const MAX_FILE_CHARS = 100_000;
/** Most entries `list_files` returns. */
const MAX_ENTRIES = 500;
/** Longest output of each stream `run_command` returns. */
const MAX_COMMAND_OUTPUT = 20_000;

/** Options of {@link createCliTools}. */
export interface CliToolsOptions {
  /** The working directory: the file tools read under it, commands run in it. */
  cwd: string;
  /** The environment commands run with. */
  env: Record<string, string | undefined>;
  /** How long a command may run. @default 120000 */
  commandTimeoutMs?: number;
}

/**
 * The CLI agent's built-in tools: `list_files` and `read_file` (under the
 * working directory, no approval) and `run_command` (a shell command in the
 * working directory, always asks for approval: `--approve` decides in `run`,
 * the prompt in `chat`). `--no-tools` leaves them all out.
 */
export function createCliTools(
  options: CliToolsOptions,
): Record<string, AgentTool<never, unknown>> {
  const { cwd } = options;
  return {
    list_files: defineTool({
      description: 'List the files and folders of a directory under the working directory.',
      inputSchema: z.object({
        path: z.string().default('.').describe('Directory, relative to the working directory.'),
      }),
      kind: 'read',
      title: ({ path }) => `list ${path}`,
      async execute({ path: requested }) {
        const entries = await readdir(workspacePath(cwd, requested), { withFileTypes: true });
        const names = entries
          .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
          .sort();
        return names.length > MAX_ENTRIES
          ? [...names.slice(0, MAX_ENTRIES), `… ${names.length - MAX_ENTRIES} more`]
          : names;
      },
    }),
    read_file: defineTool({
      description: 'Read a UTF-8 text file under the working directory.',
      inputSchema: z.object({
        path: z.string().min(1).describe('File, relative to the working directory.'),
      }),
      kind: 'read',
      title: ({ path }) => `read ${path}`,
      async execute({ path: requested }) {
        const file = workspacePath(cwd, requested);
        if (!(await stat(file)).isFile()) throw new Error(`${requested} is not a file.`);
        const text = await readFile(file, 'utf8');
        return text.length > MAX_FILE_CHARS
          ? `${text.slice(0, MAX_FILE_CHARS)}\n… (${text.length - MAX_FILE_CHARS} more characters)`
          : text;
      },
    }),
    run_command: defineTool({
      description:
        'Run a shell command in the working directory and return its exit code and output. The user approves every command.',
      inputSchema: z.object({ command: z.string().min(1).describe('The command line (sh -c).') }),
      kind: 'execute',
      approval: 'always',
      title: ({ command }) => command,
      timeoutMs: (options.commandTimeoutMs ?? 120_000) + 5_000,
      execute: ({ command }, context) =>
        runShell(command, {
          cwd,
          env: options.env,
          signal: context.signal,
          timeoutMs: options.commandTimeoutMs ?? 120_000,
        }),
    }),
  };
}

/** What `run_command` returns to the model. */
export interface CommandResult {
  exitCode: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

function runShell(
  command: string,
  options: {
    cwd: string;
    env: Record<string, string | undefined>;
    signal: AbortSignal;
    timeoutMs: number;
  },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
      timeout: options.timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = cap(stdout + chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = cap(stderr + chunk)));
    child.on('error', reject);
    child.on('close', (exitCode, signal) =>
      resolve({ exitCode, ...(signal ? { signal } : {}), stdout, stderr }),
    );
  });
}

function cap(text: string): string {
  return text.length > MAX_COMMAND_OUTPUT ? text.slice(-MAX_COMMAND_OUTPUT) : text;
}
