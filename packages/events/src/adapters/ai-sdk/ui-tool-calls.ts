import type { UIMessageChunk } from 'ai';

/** What the adapter knows of one tool call, from its start until its outcome (across runs). */
interface ToolCallRecord {
  toolName: string;
  /** Set once the arguments are complete; a call without it was cut off while they streamed. */
  input?: { value: unknown };
  approvalId?: string;
}

/**
 * The tool calls of a session stream, for the AI SDK adapter. A call paused
 * for approval ends one run and gets its outcome in the resume run, so the
 * book outlives a message; it also knows which calls the message being
 * streamed has stated, so a resume run can state a paused call again before
 * its outcome (the AI SDK attaches an outcome only to a tool part it has).
 */
export class UiToolCalls {
  readonly #calls = new Map<string, ToolCallRecord>();
  /** Calls that have a tool part in the message being streamed. */
  readonly #stated = new Set<string>();

  /** A new message starts: none of its tool parts exist yet. */
  beginMessage(): void {
    this.#stated.clear();
  }

  started(toolCallId: string, toolName: string): void {
    this.#calls.set(toolCallId, { toolName });
    this.#stated.add(toolCallId);
  }

  /**
   * Arguments complete; returns the call's name. A call started before the
   * stream is named by the event (contract 1.1), else `unknown`.
   */
  ready(toolCallId: string, input: unknown, named: string | undefined): string {
    const record = this.#calls.get(toolCallId) ?? { toolName: named ?? 'unknown' };
    this.#calls.set(toolCallId, { ...record, input: { value: input } });
    this.#stated.add(toolCallId);
    return record.toolName;
  }

  /**
   * An approval is requested. A call this stream has not seen (it started
   * before the stream did) is learnt from the request, which names it.
   */
  approvalRequested(
    toolCallId: string,
    approvalId: string,
    call: { toolName?: string; input?: unknown },
  ): UIMessageChunk[] {
    const known = this.#calls.get(toolCallId);
    if (known) {
      this.#calls.set(toolCallId, { ...known, approvalId });
      return this.restate(toolCallId, { withApproval: false });
    }
    if (call.toolName === undefined) return [];
    this.#calls.set(toolCallId, {
      toolName: call.toolName,
      input: { value: call.input },
      approvalId,
    });
    return this.restate(toolCallId, { withApproval: false });
  }

  /** True while the call, started in this message, streams its arguments (not yet complete). */
  inputStreaming(toolCallId: string): boolean {
    const record = this.#calls.get(toolCallId);
    return record !== undefined && record.input === undefined && this.#stated.has(toolCallId);
  }

  nameOf(toolCallId: string): string | undefined {
    return this.#calls.get(toolCallId)?.toolName;
  }

  /**
   * The chunks that give a known call a tool part in this message when it
   * has none (a call of the paused run, in the resume run): its input and,
   * if it asked for one, its approval request. Nothing for a call already
   * stated here, or one this stream never saw: a client continuing the
   * message (useChat) holds that part already, and a guessed input would
   * overwrite the one it has.
   */
  restate(toolCallId: string, options = { withApproval: true }): UIMessageChunk[] {
    const record = this.#calls.get(toolCallId);
    if (!record?.input || this.#stated.has(toolCallId)) return [];
    this.#stated.add(toolCallId);
    const out: UIMessageChunk[] = [
      {
        type: 'tool-input-available',
        toolCallId,
        toolName: record.toolName,
        input: record.input.value,
        dynamic: true,
      },
    ];
    if (options.withApproval && record.approvalId !== undefined)
      out.push({ type: 'tool-approval-request', approvalId: record.approvalId, toolCallId });
    return out;
  }

  /** The call reached its outcome: nothing more will refer to it. */
  forget(toolCallId: string): void {
    this.#calls.delete(toolCallId);
  }
}
