import type { AgentEvent } from '@switchboard/events';
import type { Level } from './event-payloads.js';

type Completed = AgentEvent<'tool_call.completed'>['data'];

/** How a finished tool call shows in Langfuse. */
export interface ToolOutcome {
  /** The span gets an ERROR status. */
  failed: boolean;
  /** ERROR for a failed call, WARNING for denied or cancelled, none otherwise. */
  level: Level | undefined;
  /** Unredacted; the builder redacts it before it reaches a span. */
  statusMessage: string;
}

/**
 * The observation level and status of a `tool_call.completed`. The event's
 * `status` decides: agent-core already classified the result (an MCP
 * `{isError: true}` is `failed` there), and a trace that judged outputs on its
 * own would disagree with every other surface about the same call.
 */
export function toolOutcome(data: Completed): ToolOutcome {
  const failed = data.status === 'failed';
  const level: Level | undefined = failed
    ? 'ERROR'
    : data.status === 'denied' || data.status === 'cancelled'
      ? 'WARNING'
      : undefined;
  const statusMessage = data.error?.message ?? data.status;
  return { failed, level, statusMessage };
}

/** The namespaced metadata of a finished tool call (before the builder's key prefix). */
export function toolMetadata(data: Completed, toolName: string): Record<string, unknown> {
  return {
    toolCallId: data.toolCallId,
    toolName,
    status: data.status,
    ...(data.durationMs === undefined ? {} : { durationMs: data.durationMs }),
    ...(data.executionDurationMs === undefined
      ? {}
      : { executionDurationMs: data.executionDurationMs }),
    ...(data.truncated ? { truncated: data.truncated } : {}),
    ...(data.error?.code ? { errorCode: data.error.code } : {}),
  };
}
