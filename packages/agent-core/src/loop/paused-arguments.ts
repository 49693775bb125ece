import type { ToolArguments } from '../tools/parse-tool-input.js';

/**
 * The arguments a paused call runs on. Stored parsed: the tool gets them as
 * they are, not serialised and parsed again. A redacted input was stored
 * without its secret: the real arguments are held by the process that paused
 * the run; another process (after a restart) cannot run the call as the model
 * asked, so the model is told to call again rather than the tool running on
 * `[REDACTED]`.
 */
export function pausedArguments(
  call: { toolCallId: string; input?: unknown; redacted?: boolean | undefined },
  heldArgs: ReadonlyMap<string, unknown>,
): ToolArguments {
  if (heldArgs.has(call.toolCallId)) return { ok: true, value: heldArgs.get(call.toolCallId) };
  if (call.redacted)
    return {
      ok: false,
      message:
        'The arguments of this call held a secret, which is never stored, and the run was resumed by another process: call the tool again.',
    };
  return { ok: true, value: call.input ?? {} };
}
