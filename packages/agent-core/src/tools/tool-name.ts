import { createHash } from 'node:crypto';
import { AgentCoreError } from '../errors/agent-core-error.js';

/**
 * Tool names every provider accepts (OpenAI and Anthropic both cap at 64 and
 * allow only these characters).
 */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

const MAX_LENGTH = 64;

/** Throws `CORE_INVALID_TOOL_NAME` unless `name` matches {@link TOOL_NAME_PATTERN}. */
export function assertToolName(name: string, what = 'Tool name'): void {
  if (TOOL_NAME_PATTERN.test(name)) return;
  throw new AgentCoreError({
    code: 'CORE_INVALID_TOOL_NAME',
    message: `${what} "${name}" is invalid: use 1–64 letters, digits, "_" or "-".`,
    details: { name },
  });
}

/**
 * Makes a name from elsewhere (an MCP server's `fs.read_file`) acceptable:
 * other characters become `_`, and names too long keep a hash of the original
 * so two long names with the same start stay distinct.
 */
export function toToolName(prefix: string, name: string): string {
  const full = `${prefix}${name.replace(/[^a-zA-Z0-9_-]/g, '_')}` || '_';
  if (full.length <= MAX_LENGTH) return full;
  const hash = createHash('sha256').update(`${prefix}${name}`).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_LENGTH - hash.length - 1)}_${hash}`;
}
