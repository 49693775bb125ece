import type { AgentEvent } from '@switchboard/events';

/** Langfuse observation levels. */
export type Level = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

/** The user's words for the root's input: the text parts, or the parts when there is more than text. */
export function inputOf(event: AgentEvent<'run.started'>): unknown {
  const parts = event.data.input?.parts;
  if (parts && parts.length > 0) {
    const texts = parts.flatMap((part) =>
      part.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
    );
    return texts.length === parts.length ? texts.join('\n') : parts.map(withoutInlineMedia);
  }
  if (event.data.resumeOfRunId) return { resumeOf: event.data.resumeOfRunId };
  return undefined;
}

/** Langfuse takes only string and number parameters. */
export function modelParameters(
  parameters: Record<string, unknown> | undefined,
): Record<string, string | number> | undefined {
  if (!parameters) return undefined;
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (typeof value === 'number' || typeof value === 'string') out[key] = value;
    else if (typeof value === 'boolean') out[key] = String(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The Langfuse level and status message of a turn that ended with `stopReason`. */
export function levelOfStop(stopReason: string): { level?: Level; message?: string } {
  switch (stopReason) {
    case 'completed':
      return {};
    case 'awaiting_input':
      return { level: 'DEFAULT', message: 'paused: waiting for approval or an answer' };
    case 'cancelled':
    case 'interrupted':
      return { level: 'WARNING', message: stopReason };
    default:
      return { level: 'WARNING', message: `stopped: ${stopReason}` };
  }
}

/** Inline media (base64) is replaced by its type and size: traces carry what was sent, not the bytes. */
function withoutInlineMedia(part: { type: string }): unknown {
  const { data, ...rest } = part as { type: string; data?: unknown };
  if (typeof data !== 'string') return part;
  return { ...rest, data: `[${Math.floor((data.length * 3) / 4)} bytes inline]` };
}

/** What a retry observation records besides the error message: the wait and why. */
export function retryDetails(
  data: AgentEvent<'generation.retrying'>['data'],
): Record<string, unknown> {
  return {
    generationId: data.generationId,
    provider: data.provider,
    delayMs: data.delayMs,
    ...(data.error.code ? { errorCode: data.error.code } : {}),
    ...(data.error.status === undefined ? {} : { status: data.error.status }),
    ...(data.fallbackTo ? { fallbackTo: data.fallbackTo } : {}),
  };
}
