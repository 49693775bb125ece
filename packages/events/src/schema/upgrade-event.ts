import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from './agent-event.js';
import { CONTRACT_VERSION } from './envelope-schema.js';

type Raw = Record<string, unknown>;

/**
 * Turns records written by older producers into contract-v1 events, at read
 * time. Two inputs are understood:
 * - contract v1 events, returned as they are, except that `tool_call.*`
 *   events written before contract 1.1 (without `toolName`) get the name
 *   of their call's `tool_call.started` seen earlier in the stream;
 * - the pre-contract "v0" JSONL of the Rust harness this contract descends
 *   from: snake_case `type`, `session_id` on every record, `index` and
 *   `emitted_at_ms` instead of `seq` and `ts`, no run or message ids.
 *
 * v0 carries less than v1, so the upgrader is stateful: it synthesises a
 * `runId` per session, groups consecutive text chunks into one `messageId`,
 * turns one v0 record into zero, one or two events, and renumbers `seq`
 * contiguously per session. Use one upgrader per stream, in order.
 */
export class EventUpgrader {
  readonly #seq = new Map<string, number>();
  readonly #open = new Map<string, { kind: 'message' | 'reasoning'; id: string }>();
  /** Tool names by session and tool-call id, from `tool_call.started`, until the call completes. */
  readonly #toolNames = new Map<string, string>();
  #ids = 0;

  /** Upgrades one raw record; returns the resulting v1 events (possibly none). */
  upgrade(raw: unknown): AnyEvent[] {
    if (typeof raw !== 'object' || raw == null) throw invalid('not an object');
    const record = raw as Raw;
    if (record.v === CONTRACT_VERSION) return [this.#fromV1(record as unknown as AnyEvent)];
    if (typeof record.v === 'number') {
      throw new EventsError({
        code: 'EVENTS_UNSUPPORTED_VERSION',
        message: `Event contract v${record.v} is not supported (this is v${CONTRACT_VERSION}).`,
        details: { v: record.v },
      });
    }
    if (typeof record.type !== 'string' || typeof record.session_id !== 'string') {
      throw invalid('neither a v1 event nor a v0 record (needs type and session_id)');
    }
    return this.#fromV0(record as Raw & { type: string; session_id: string });
  }

  /** Fills in the `toolName` a pre-1.1 tool event lacks (see the class comment). */
  #fromV1(event: AnyEvent): AnyEvent {
    if (!event.type.startsWith('tool_call.') || typeof event.data !== 'object' || !event.data)
      return event;
    const data = event.data as Raw;
    if (typeof data.toolCallId !== 'string') return event;
    const key = `${event.sessionId}\u0000${data.toolCallId}`;
    if (event.type === 'tool_call.started') {
      if (typeof data.toolName === 'string') this.#toolNames.set(key, data.toolName);
      return event;
    }
    const known = this.#toolNames.get(key);
    if (event.type === 'tool_call.completed') this.#toolNames.delete(key);
    if (typeof data.toolName === 'string' || known === undefined) return event;
    return { ...event, data: { ...data, toolName: known } };
  }

  #fromV0(record: Raw & { type: string; session_id: string }): AnyEvent[] {
    const sessionId = record.session_id;
    const ts =
      typeof record.emitted_at_ms === 'number' ? Math.max(0, Math.floor(record.emitted_at_ms)) : 0;
    const out: AnyEvent[] = [];
    const emit = (type: string, data: Raw) => {
      const seq = (this.#seq.get(sessionId) ?? 0) + 1;
      this.#seq.set(sessionId, seq);
      out.push({ v: CONTRACT_VERSION, type, seq, ts, sessionId, runId: `v0:${sessionId}`, data });
    };
    const chunkKind =
      record.type === 'agent_message_chunk'
        ? 'message'
        : record.type === 'agent_thought_chunk'
          ? 'reasoning'
          : undefined;
    const open = this.#open.get(sessionId);
    if (open && open.kind !== chunkKind) {
      emit(open.kind === 'message' ? 'message.completed' : 'reasoning.completed', idField(open));
      this.#open.delete(sessionId);
    }
    if (chunkKind) {
      const content = text(record.content);
      let current = this.#open.get(sessionId);
      if (!current) {
        current = { kind: chunkKind, id: `v0-${chunkKind}-${++this.#ids}` };
        this.#open.set(sessionId, current);
        emit(chunkKind === 'message' ? 'message.started' : 'reasoning.started', {
          ...idField(current),
          ...(chunkKind === 'message' ? { role: 'assistant' } : {}),
        });
      }
      if (content) emit(`${chunkKind}.delta`, { ...idField(current), delta: content });
      return out;
    }
    const toolCallId = text(record.tool_call_id, record.tool_use_id);
    const toolName = typeof record.tool_name === 'string' ? { toolName: record.tool_name } : {};
    switch (record.type) {
      case 'tool_call':
        emit('tool_call.started', {
          toolCallId,
          toolName: text(record.tool_name),
          ...(typeof record.kind === 'string' ? { kind: record.kind } : {}),
        });
        if (record.raw_input !== undefined)
          emit('tool_call.ready', { toolCallId, ...toolName, input: record.raw_input });
        break;
      case 'tool_call_update':
        if (record.status === 'in_progress' || record.status === 'pending') {
          emit('tool_call.running', { toolCallId, ...toolName });
        } else {
          emit('tool_call.completed', {
            toolCallId,
            ...toolName,
            status: record.status === 'failed' ? 'failed' : 'completed',
            ...(record.raw_output == null ? {} : { output: record.raw_output }),
            ...(typeof record.error === 'string' ? { error: { message: record.error } } : {}),
            ...(typeof record.duration_ms === 'number' ? { durationMs: record.duration_ms } : {}),
            ...(typeof record.execution_duration_ms === 'number'
              ? { executionDurationMs: record.execution_duration_ms }
              : {}),
          });
        }
        break;
      case 'turn_start':
        emit('step.started', { stepIndex: Number(record.iteration ?? 0) });
        break;
      case 'turn_end':
        emit('step.finished', { stepIndex: Number(record.iteration ?? 0) });
        break;
      case 'feedback_injected':
        emit('feedback.injected', { kind: text(record.kind), content: text(record.content) });
        break;
      case 'budget_exhausted':
        emit('loop.budget_exhausted', { maxSteps: Number(record.max_iterations ?? 1) });
        break;
      case 'loop_stuck':
        emit('loop.stuck', {
          reason: 'no_progress',
          action: 'stop',
          nudges: Number(record.max_nudges ?? 0),
          tailExcerpt: text(record.tail_excerpt),
        });
        break;
      case 'skill_activated':
        emit('skill.activated', {
          skillName: text(record.skill_name),
          reason: text(record.reason),
        });
        break;
      case 'skill_deactivated':
        emit('skill.deactivated', { skillName: text(record.skill_name) });
        break;
      case 'transcript_compacted':
        emit('context.compacted', {
          compactionId: `v0-compaction-${++this.#ids}`,
          strategy: text(record.strategy),
          archivedMessages: Number(record.archived_messages ?? 0),
          tokensBefore: Number(record.estimated_tokens_before ?? 0),
          tokensAfter: Number(record.estimated_tokens_after ?? 0),
          estimated: true,
        });
        break;
      default: {
        // No v1 equivalent (plan with an untyped body, watchdog, tool search, fs watch,
        // handoff artefacts): keep the whole record, losslessly, as a custom event.
        const { session_id: _s, index: _i, emitted_at_ms: _t, frame_depth: _f, ...value } = record;
        emit('custom', { name: `v0.${record.type}`, value });
      }
    }
    return out;
  }
}

/** The first argument that is a string, else ''. v0 records are untyped JSON. */
const text = (...values: unknown[]): string =>
  values.find((value): value is string => typeof value === 'string') ?? '';

const idField = (open: { kind: 'message' | 'reasoning'; id: string }) =>
  open.kind === 'message' ? { messageId: open.id } : { reasoningId: open.id };

const invalid = (why: string) =>
  new EventsError({ code: 'EVENTS_INVALID_EVENT', message: `Cannot upgrade record: ${why}.` });
